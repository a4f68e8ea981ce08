"""Server-drawn charts (SVG geometry, no script) for the per-group support figures (pure)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

BAR_WIDTH = 320  # px for p = 1
ROW_HEIGHT = 28


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    y: int
    width: int
    p: float | None
    support: int
    accept: int
    abstain: int
    object: int


@dataclass(frozen=True)
class BarChart:
    bars: tuple[Bar, ...]
    height: int
    threshold_x: int | None
    width: int = BAR_WIDTH


def group_bars(
    groups: dict[str, dict[str, Any]],
    *,
    label: Callable[[str], str] = str,
    threshold: float | None = None,
) -> BarChart:
    """One bar per category, its length the smoothed support `p` (no bar when p is None)."""
    bars = tuple(
        Bar(
            key=key,
            label=label(key),
            y=index * ROW_HEIGHT,
            width=round((row["p"] or 0) * BAR_WIDTH),
            p=row["p"],
            support=row["support"],
            accept=row["accept"],
            abstain=row["abstain"],
            object=row["object"],
        )
        for index, (key, row) in enumerate(groups.items())
    )
    return BarChart(
        bars=bars,
        height=max(len(bars), 1) * ROW_HEIGHT,
        threshold_x=round(threshold * BAR_WIDTH) if threshold is not None else None,
    )
