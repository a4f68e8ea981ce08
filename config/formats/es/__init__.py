"""Spanish date formats."""
