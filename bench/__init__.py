"""`make bench`: the figures of SPEC §9, each against a limit measured in the same run."""
