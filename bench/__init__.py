"""`make bench`: the figures of docs/design.md §9, each against a limit measured in the same run."""
