"""Statement polls and the opinion map (docs/design.md §7)."""
