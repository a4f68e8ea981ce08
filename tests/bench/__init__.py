"""Tests of the benchmark runner and of its reference implementations."""
