"""Balance of participation and participation support: the pure computation (compute), its
services, pages and API (docs/design.md §5)."""
