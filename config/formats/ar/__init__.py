"""Arabic date formats."""
