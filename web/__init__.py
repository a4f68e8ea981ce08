"""The ground floor of shared web plumbing: here, routing reads to a streaming replica."""
