"""The geometry of the server-drawn line chart, without a database."""

import pytest

from consensus.charts import line_chart


def test_points_spread_from_edge_to_edge_with_one_at_the_top() -> None:
    chart = line_chart(
        [("a", [0.0, 0.5, 1.0])], width=140, height=120, margin=(10, 10, 10, 30), ticks=2
    )

    assert (chart.left, chart.right, chart.top, chart.bottom) == (30, 130, 10, 110)
    assert chart.x_positions == (30.0, 80.0, 130.0)
    (line,) = chart.lines
    assert [(p.x, p.y) for p in line.points] == [(30.0, 110.0), (80.0, 60.0), (130.0, 10.0)]
    assert line.segments == ("30.0,110.0 80.0,60.0 130.0,10.0",)
    assert chart.y_ticks == ((110.0, 0.0), (60.0, 0.5), (10.0, 1.0))


def test_a_missing_value_breaks_the_line() -> None:
    chart = line_chart(
        [("a", [0.2, None, 0.4, 0.6]), ("b", [None, None, None, None])],
        width=130,
        height=110,
        margin=(5, 0, 5, 10),
    )

    a, b = chart.lines
    assert len(a.points) == 3
    assert a.segments == ("10.0,85.0", "90.0,65.0 130.0,45.0")
    assert (b.points, b.segments) == ((), ())


def test_a_single_point_sits_in_the_middle() -> None:
    chart = line_chart([("a", [0.5])], width=100, height=100, margin=(0, 0, 0, 0))

    assert chart.lines[0].points[0].x == 50.0


def test_no_series_makes_an_empty_chart() -> None:
    chart = line_chart([])

    assert chart.lines == ()
    assert chart.x_positions == ()


@pytest.mark.parametrize(
    ("series", "kwargs", "message"),
    [
        ([("a", [0.1]), ("b", [0.1, 0.2])], {}, "same length"),
        ([("a", [1.5])], {}, "must lie in"),
        ([("a", [-0.1])], {}, "must lie in"),
        ([("a", [0.1])], {"width": 20, "margin": (0, 10, 0, 10)}, "no room"),
    ],
)
def test_bad_input_is_refused(series: list, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        line_chart(series, **kwargs)
