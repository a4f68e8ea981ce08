"""The benchmark runner: figures measured against limits taken in the same run, as one table."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlparse

DEFAULT_BENCH_DATABASE_URL = "postgres://footing:footing@127.0.0.1:5432/footing_bench"

T = TypeVar("T")


@dataclass(frozen=True)
class Figure:
    """One row of the table: what was measured, against what limit, and whether it passed.

    `passed` is None for a figure printed for information only (no target).
    """

    name: str
    measured: str
    limit: str = "—"
    ratio: float | None = None
    passed: bool | None = None


def timing(name: str, seconds: float, limit_seconds: float, *, max_ratio: float) -> Figure:
    """A time against the time of the reference implementation measured in the same run."""
    ratio = seconds / limit_seconds
    return Figure(
        name=name,
        measured=f"{seconds:.3f} s",
        limit=f"{limit_seconds:.3f} s × {max_ratio:g}",
        ratio=ratio,
        passed=ratio <= max_ratio,
    )


def share(name: str, value: float, limit: float) -> Figure:
    """A fraction that must stay at or below `limit`."""
    return Figure(
        name=name,
        measured=f"{value:.3%}",
        limit=f"{limit:.0%}",
        ratio=value / limit,
        passed=value <= limit,
    )


def check(name: str, ok: bool, detail: str) -> Figure:
    """A property that must hold, e.g. "grows with k"."""
    return Figure(name=name, measured=detail, passed=ok)


def info(name: str, measured: str) -> Figure:
    return Figure(name=name, measured=measured)


def best_of(repeat: int, run: Callable[[], T]) -> tuple[float, T]:
    """Run `run` `repeat` times; return the fastest wall-clock time and the last result."""
    best = float("inf")
    result: T | None = None
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    assert result is not None
    return best, result


def best_of_interleaved(
    repeat: int, first: Callable[[], T], second: Callable[[], T]
) -> tuple[tuple[float, T], tuple[float, T]]:
    """Like `best_of` for two runs taken in turns, so both meet the same load on a shared machine
    (a burst of other work slows one round of each, not every run of one)."""
    rounds = [best_of(1, run) for _ in range(max(1, repeat)) for run in (first, second)]
    firsts, seconds = rounds[0::2], rounds[1::2]
    return min(firsts, key=lambda r: r[0]), min(seconds, key=lambda r: r[0])


def render(figures: Sequence[Figure]) -> str:
    """The figures as a plain-text table with a pass/fail column."""
    header = ("figure", "measured", "limit", "ratio", "result")
    rows = [
        (
            f.name,
            f.measured,
            f.limit,
            "—" if f.ratio is None else f"{f.ratio:.2f}",
            "info" if f.passed is None else ("pass" if f.passed else "FAIL"),
        )
        for f in figures
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip()

    return "\n".join([line(header), line(tuple("-" * w for w in widths)), *map(line, rows)])


def bench_database_url() -> str:
    """The dedicated benchmark database; refuses any database whose name does not say "bench".

    The benchmarks truncate and refill their database, so pointing them at the site's data by
    mistake must be impossible.
    """
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_BENCH_DATABASE_URL)
    name = urlparse(url).path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(
            f"BENCH_DATABASE_URL names the database {name!r}: the benchmarks refill their "
            "database, so its name must contain 'bench'."
        )
    return url


def setup_django() -> str:
    """Point Django at the benchmark database (creating and migrating it) and return its URL."""
    url = bench_database_url()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    _create_database(url)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    return url


def _create_database(url: str) -> None:
    """CREATE DATABASE for `url` if it does not exist (the role needs CREATEDB, as for tests)."""
    import psycopg
    from psycopg import sql

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
