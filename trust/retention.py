"""Which trust computations keep their scores: the latest, one a day, then one a month (pure)."""

from collections.abc import Iterable
from datetime import datetime, timedelta


def kept_computations(
    runs: Iterable[tuple[int, datetime]], *, now: datetime, days: int, months: int
) -> set[int]:
    """The ids, among (id, started_at) runs, whose scores are kept.

    Kept: the latest run; for runs of the last `days` days, the last run of each day; for older
    runs, the last run of each calendar month, for `months` months back (0: every month). So the
    scores of a platform recomputed every night take at most 1 + days + months rows per user.
    """
    runs = sorted(runs, key=lambda run: run[0])
    if not runs:
        return set()
    kept = {runs[-1][0]}
    daily_since = now - timedelta(days=days)
    oldest_month = (now.year * 12 + now.month - 1) - months
    last_of: dict[tuple[str, int, int, int], int] = {}
    for pk, started in runs:  # in id order, so the last one written per period wins
        if started >= daily_since:
            last_of[("day", started.year, started.month, started.day)] = pk
        elif months == 0 or started.year * 12 + started.month - 1 > oldest_month:
            last_of[("month", started.year, started.month, 0)] = pk
    return kept | set(last_of.values())
