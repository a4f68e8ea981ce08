"""Taking part by e-mail: raw messages, reply keys, listener and dispatch (docs/design.md §2.6)."""
