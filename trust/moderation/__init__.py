"""Moderation: flags, cases, the escalation ladder, appeals and the advisory signals (SPEC §6)."""
