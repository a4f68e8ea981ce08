"""Run every benchmark (`python -m bench`), print one table, exit 1 if a target is missed."""

import sys
from collections.abc import Callable

from bench.runner import Figure, render, setup_django


def benchmarks() -> list[Callable[[], list[Figure]]]:
    """The registered benchmarks, in order; each returns its figures (and may print details)."""
    # Imported once Django points at the benchmark database.
    from bench import balance, tally, trust, web

    return [
        trust.eigentrust_figures,
        trust.sybil_figures,
        balance.figures,
        tally.tally_figures,
        web.figures,
    ]


def main() -> int:
    url = setup_django()
    print(f"Benchmark database: {url.rsplit('@', 1)[-1]}")
    figures = [figure for benchmark in benchmarks() for figure in benchmark()]
    print()
    print(render(figures))
    missed = [figure.name for figure in figures if figure.passed is False]
    if missed:
        print(f"\nMissed targets: {', '.join(missed)}")
        return 1
    print("\nEvery target is met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
