"""Benchmarks of SPEC §9: each prints its figure beside the limit measured in the same run."""
