"""The consensus API: rounds, ballots, objections, results, balance and participation support."""
