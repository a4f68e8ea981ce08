"""Following without logging in: secret feed tokens, digest choices, one-click unsubscribe."""
