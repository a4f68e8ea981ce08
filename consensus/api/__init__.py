"""The consensus API: rounds, ballots, objections, results and declarations."""
