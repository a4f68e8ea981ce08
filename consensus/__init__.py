"""Consensus: rounds, ballots, objections, outcomes, balance and participation support."""
