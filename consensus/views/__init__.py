"""Pages of consensus: rounds and ballots, the objection register, results, exports."""
