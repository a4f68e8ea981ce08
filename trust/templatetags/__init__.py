"""Template tags of trust."""
