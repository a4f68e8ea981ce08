"""Moderation: flags, cases, the escalation ladder, appeals and the advisory signals
(docs/design.md §6)."""
