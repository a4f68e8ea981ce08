"""Stakeholders: users, their hats, statements of interest, standing and notifications."""
