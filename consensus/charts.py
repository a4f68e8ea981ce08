"""Server-drawn charts (SVG geometry, no script): support bars per group, lines over time (pure)."""

from collections.abc import Callable, Sequence
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


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float


@dataclass(frozen=True)
class Line:
    """One series: its points, and the polyline segments between missing values."""

    name: str
    points: tuple[Point, ...]
    segments: tuple[str, ...]  # SVG `points` attributes, one per unbroken run


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    lines: tuple[Line, ...]
    y_ticks: tuple[tuple[float, float], ...]  # (y position, value)
    x_positions: tuple[float, ...]

    @property
    def right(self) -> int:
        return self.left + self.plot_width

    @property
    def bottom(self) -> int:
        return self.top + self.plot_height


def line_chart(
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    width: int = 640,
    height: int = 260,
    margin: tuple[int, int, int, int] = (12, 16, 28, 44),
    ticks: int = 4,
) -> LineChart:
    """Place series of values in [0, 1] on a plot, points equally spaced left to right.

    Before: every series has the same length n >= 0; values are in [0, 1] or None (a gap);
    ``margin`` is (top, right, bottom, left) and leaves a plot of positive size. After: x runs
    from the plot's left edge to its right edge (a single point sits in the middle); y = 1 is at
    the top; a None value breaks its line into separate segments and has no point; y ticks are at
    ``0, 1/ticks, …, 1``.
    """
    top, right, bottom, left = margin
    plot_width, plot_height = width - left - right, height - top - bottom
    if plot_width <= 0 or plot_height <= 0:
        msg = "the margins leave no room to plot"
        raise ValueError(msg)
    lengths = {len(values) for _, values in series}
    if len(lengths) > 1:
        msg = f"every series needs the same length, got {sorted(lengths)}"
        raise ValueError(msg)
    n = lengths.pop() if lengths else 0
    xs = tuple(
        left + plot_width / 2 if n == 1 else left + plot_width * i / (n - 1) for i in range(n)
    )

    def y_of(value: float) -> float:
        if not 0.0 <= value <= 1.0:
            msg = f"values must lie in [0, 1], got {value}"
            raise ValueError(msg)
        return top + plot_height * (1.0 - value)

    lines = []
    for name, values in series:
        points: list[Point] = []
        segments: list[str] = []
        run: list[str] = []
        for x, value in zip(xs, values, strict=True):
            if value is None:
                if run:
                    segments.append(" ".join(run))
                run = []
                continue
            point = Point(x=round(x, 1), y=round(y_of(value), 1), value=value)
            points.append(point)
            run.append(f"{point.x},{point.y}")
        if run:
            segments.append(" ".join(run))
        lines.append(Line(name=name, points=tuple(points), segments=tuple(segments)))
    y_ticks = tuple((round(y_of(i / ticks), 1), i / ticks) for i in range(ticks + 1))
    return LineChart(
        width=width,
        height=height,
        left=left,
        top=top,
        plot_width=plot_width,
        plot_height=plot_height,
        lines=tuple(lines),
        y_ticks=y_ticks,
        x_positions=tuple(round(x, 1) for x in xs),
    )
