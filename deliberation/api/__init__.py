"""The deliberation API: processes, issues, comments, proposals, versions, glossary, resources."""
