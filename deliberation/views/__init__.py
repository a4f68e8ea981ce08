"""Pages of deliberation, one module per area: processes, issues, proposals, library, search."""
