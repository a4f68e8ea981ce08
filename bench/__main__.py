"""Run every benchmark (`python -m bench`, or some: `python -m bench web rush`), print one table,
write var/bench/latest.json, exit 1 if a target is missed."""

import sys
from collections.abc import Callable
from pathlib import Path

from bench.runner import Figure, render, setup_django, write_json

LATEST = Path(__file__).resolve().parents[1] / "var" / "bench" / "latest.json"


def benchmarks() -> dict[str, Callable[[], list[Figure]]]:
    """The registered benchmarks by name, in order; each returns its figures (and may print
    details). The web and rush benchmarks come last: they leave their people inactive, so the
    trust benchmark's data (counted by active users) stays reusable."""
    # Imported once Django points at the benchmark database.
    from bench import balance, open_data, opinion, rush, tally, trust, web

    return {
        "eigentrust": trust.eigentrust_figures,
        "sybil": trust.sybil_figures,
        "balance": balance.figures,
        "tally": tally.tally_figures,
        "opinion_map": opinion.opinion_map_figures,
        "opinion_map_vs_reddwarf": opinion.reddwarf_figures,
        "opinion_map_synthetic": opinion.synthetic_figures,
        "open_data": open_data.figures,
        "web": web.figures,
        "rush": rush.figures,
    }


def main() -> int:
    url = setup_django()
    print(f"Benchmark database: {url.rsplit('@', 1)[-1]}")
    chosen = sys.argv[1:] or list(benchmarks())
    figures = [figure for name in chosen for figure in benchmarks()[name]()]
    print()
    print(render(figures))
    write_json(figures, LATEST)
    print(f"\nWritten: {LATEST.relative_to(LATEST.parents[2])}")
    missed = [figure.name for figure in figures if figure.passed is False]
    if missed:
        print(f"\nMissed targets: {', '.join(missed)}")
        return 1
    print("\nEvery target is met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
