"""Trust: endorsements, commitments, trust scores, signals, flags and moderation."""
