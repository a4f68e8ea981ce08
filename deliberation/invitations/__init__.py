"""Invitations to a process by e-mail: a facilitator invites, the link lands on joining."""
