"""Deliberation: processes, participation, issues, comments, proposals, glossary and resources."""
