"""The benchmark runner: figures measured against limits taken in the same run, as one table."""

from __future__ import annotations

import json
import os
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlparse

DEFAULT_BENCH_DATABASE_URL = "postgres://footing:footing@127.0.0.1:5432/footing_bench"

T = TypeVar("T")


@dataclass(frozen=True)
class Figure:
    """One row of the table: what was measured, against what limit, and whether it passed.

    `passed` is None for a figure printed for information only (no target). A row with a `key`
    is also written to var/bench/latest.json as {name, measured, unit, limit, ratio, target,
    pass}; `same_answer` says whether the product and its reference gave the same full answer
    (a row whose answers differ fails whatever its time).
    """

    name: str
    measured: str
    limit: str = "—"
    ratio: float | None = None
    passed: bool | None = None
    key: str = ""
    value: float | None = None
    unit: str = ""
    limit_value: float | None = None
    target: str = ""
    same_answer: bool | None = None

    def record(self) -> dict[str, object]:
        return {
            "name": self.key,
            "measured": self.value,
            "unit": self.unit,
            "limit": self.limit_value,
            "ratio": self.ratio,
            "target": self.target,
            "pass": self.passed,
            "label": self.name,
            "same_answer": self.same_answer,
        }


def timing(
    name: str,
    seconds: float,
    limit_seconds: float,
    *,
    max_ratio: float,
    key: str = "",
    same_answer: bool = True,
    reference: str = "the reference",
) -> Figure:
    """A time against the time of the reference implementation measured in the same run."""
    ratio = seconds / limit_seconds
    return Figure(
        name=name,
        measured=f"{seconds:.3f} s",
        limit=f"{limit_seconds:.3f} s × {max_ratio:g}",
        ratio=ratio,
        passed=ratio <= max_ratio and same_answer,
        key=key,
        value=seconds,
        unit="s",
        limit_value=limit_seconds * max_ratio,
        target=f"<= {max_ratio:g} × {reference}, same answer",
        same_answer=same_answer,
    )


def share(name: str, value: float, limit: float, *, key: str = "") -> Figure:
    """A fraction that must stay at or below `limit`."""
    return Figure(
        name=name,
        measured=f"{value:.3%}",
        limit=f"{limit:.0%}",
        ratio=value / limit,
        passed=value <= limit,
        key=key,
        value=value,
        unit="share",
        limit_value=limit,
        target=f"<= {limit:.0%}",
    )


def check(name: str, ok: bool, detail: str) -> Figure:
    """A property that must hold, e.g. "grows with k"."""
    return Figure(name=name, measured=detail, passed=ok)


def info(name: str, measured: str) -> Figure:
    return Figure(name=name, measured=measured)


MB = 1024 * 1024


def traced_peak(run: Callable[[], T]) -> tuple[float, float, T]:
    """(peak traced Python memory in MB — numpy's arrays included —, seconds, result) of one run
    of `run` (tracemalloc slows object-heavy code: time the figures without it)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    try:
        result = run()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak / MB, time.perf_counter() - started, result


def memory(name: str, run: Callable[[], object]) -> Figure:
    """An information row: the peak memory of one more run of a computation (capacity plans)."""
    peak, _seconds, _result = traced_peak(run)
    return info(f"  peak memory of one {name}", f"{peak:.1f} MB (tracemalloc, numpy included)")


def write_json(figures: Sequence[Figure], path: Path) -> None:
    """The keyed rows, as var/bench/latest.json."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [figure.record() for figure in figures if figure.key]
    path.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")


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
    # The benchmark's role owns its database: a worktree's .env naming another owner must not win.
    os.environ["DATABASE_OWNER_URL"] = url
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
