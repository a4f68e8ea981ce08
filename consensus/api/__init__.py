"""The consensus API: rounds, ballots, objections, outcomes, balance and participation support."""
