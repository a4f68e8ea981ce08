"""The trust API: trust scores, endorsements, commitments and attestations."""
