"""The ground floor of shared web plumbing: the rules-based API permission, error answers, input
guards, safe CSV, after-commit queueing, the registry of page panels (docs/architecture.md) and
the routing of reads to a streaming replica."""
