"""Tests of participation balance and support-request priority (docs/design.md §4), without a
database."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consensus.balance.compute import (
    SUPPRESSED,
    Alert,
    AlertKind,
    CategoryBalance,
    CategoryCount,
    DimensionBalance,
    dimension_balance,
    order_support_queue,
    support_priority,
)

GROUPS = ["government", "private_sector", "civil_society", "technical_community", "academia"]


def cc(contributions: int, participants: int) -> CategoryCount:
    return CategoryCount(contributions=contributions, participants=participants)


def entropy_index(contributions: list[int], k: int) -> float:
    total = sum(contributions)
    return -sum(c / total * math.log(c / total) for c in contributions if c) / math.log(k)


def kinds(result: DimensionBalance, category: str) -> set[AlertKind]:
    return {a.kind for a in result.alerts if a.category == category}


# --- the index and the ratios -----------------------------------------------------------------


def test_perfectly_even_is_one() -> None:
    result = dimension_balance(dict.fromkeys(GROUPS, cc(7, 3)), expected=GROUPS)

    assert result.index == pytest.approx(1.0)
    assert result.index is not None
    assert result.index <= 1.0
    assert all(c.share == pytest.approx(0.2) for c in result.categories.values())
    assert all(c.ratio == pytest.approx(1.0) for c in result.categories.values())
    assert result.alerts == ()


def test_one_category_only_is_zero() -> None:
    result = dimension_balance({"government": cc(12, 4)}, expected=GROUPS)

    assert result.index == 0.0
    assert result.categories["government"].share == 1.0
    assert result.categories["government"].ratio == len(GROUPS)
    assert kinds(result, "government") == {AlertKind.DOMINANT}
    for other in GROUPS[1:]:
        assert result.categories[other] == CategoryBalance(
            contributions=0, participants=0, share=0.0, ratio=0.0
        )
        assert kinds(result, other) == {AlertKind.ABSENT}


def test_an_absent_expected_category_counts_as_share_zero() -> None:
    result = dimension_balance({"a": cc(5, 2), "b": cc(5, 2)}, expected=["a", "b", "c"])

    assert result.index == pytest.approx(math.log(2) / math.log(3))
    assert result.index is not None
    assert result.index < 1
    assert result.categories["c"].share == 0.0
    assert result.categories["a"].ratio == pytest.approx(1.5)
    assert result.alerts == (Alert(AlertKind.ABSENT, "c"),)


def test_index_is_normalised_shannon_entropy() -> None:
    contributions = [50, 30, 20, 0]
    counts = {g: cc(c, 1) for g, c in zip(GROUPS, contributions, strict=False)}
    result = dimension_balance(counts, expected=GROUPS)

    assert result.index == pytest.approx(entropy_index(contributions, len(GROUPS)), rel=1e-12)


def test_representation_ratio_is_share_times_k_and_flags_the_under_represented() -> None:
    counts = {"a": cc(60, 6), "b": cc(30, 3), "c": cc(9, 2), "d": cc(1, 1)}
    result = dimension_balance(counts, expected=["a", "b", "c", "d"])

    for category, count in counts.items():
        share = count.contributions / 100
        assert result.categories[category].share == pytest.approx(share)
        assert result.categories[category].ratio == pytest.approx(share * 4)
    under = {a.category for a in result.alerts if a.kind is AlertKind.UNDER_REPRESENTED}
    assert under == {"c", "d"}
    assert kinds(result, "b") == set()  # r = 1.2
    assert kinds(result, "a") == {AlertKind.DOMINANT}  # 60 % of contributions


def test_a_ratio_of_exactly_one_half_is_not_under_represented() -> None:
    result = dimension_balance(
        {"a": cc(1, 1), "b": cc(3, 1), "c": cc(2, 1), "d": cc(2, 1)}, expected=["a", "b", "c", "d"]
    )

    assert result.categories["a"].ratio == 0.5
    assert result.alerts == ()


def test_absent_is_only_said_of_expected_categories() -> None:
    # Contributions without a counted participant (say, a departed user's): no alert of absence.
    result = dimension_balance({"a": cc(5, 2), "b": cc(5, 2), "zz": cc(1, 0)}, expected=["a", "b"])

    assert "zz" in result.categories
    assert kinds(result, "zz") == set()


def test_under_represented_needs_participants() -> None:
    result = dimension_balance({"a": cc(10, 2), "b": cc(0, 1)}, expected=["a", "b", "c"])

    assert kinds(result, "b") == {AlertKind.UNDER_REPRESENTED}  # present, but silent
    assert kinds(result, "c") == {AlertKind.ABSENT}  # nobody there: absent, not under-represented


def test_dominance_is_strictly_above_the_share() -> None:
    even = dimension_balance({"a": cc(5, 1), "b": cc(5, 1)}, expected=["a", "b"])
    assert even.alerts == ()

    lopsided = {"a": cc(4, 1), "b": cc(3, 1), "c": cc(3, 1)}
    assert dimension_balance(lopsided, expected=["a", "b", "c"]).alerts == ()
    strict = dimension_balance(lopsided, expected=["a", "b", "c"], dominance_share=0.35)
    assert strict.alerts == (Alert(AlertKind.DOMINANT, "a"),)


def test_observed_categories_join_k_and_empty_unexpected_ones_do_not() -> None:
    counts = {"a": cc(5, 1), "zz": cc(5, 1), "ghost": cc(0, 0)}
    result = dimension_balance(counts, expected=["a", "b"])

    assert list(result.categories) == ["a", "b", "zz"]
    assert result.categories["zz"].ratio == pytest.approx(0.5 * 3)
    assert result.index == pytest.approx(math.log(2) / math.log(3))


def test_a_single_category_with_contributions_is_balanced() -> None:
    assert dimension_balance({"a": cc(3, 1)}, expected=["a"]).index == 1.0


def test_no_contributions_has_no_index_and_no_share_alerts() -> None:
    result = dimension_balance({"a": cc(0, 2)}, expected=["a", "b"])

    assert result.index is None
    assert result.categories["a"].share == 0.0
    assert result.alerts == (Alert(AlertKind.ABSENT, "b"),)
    assert dimension_balance({}, expected=[]) == DimensionBalance(
        index=None, categories={}, alerts=()
    )


@pytest.mark.parametrize(
    ("counts", "expected", "kwargs"),
    [
        ({}, [], {"dominance_share": 1.5}),
        ({}, [], {"min_people": -1}),
        ({SUPPRESSED: cc(1, 1)}, [], {}),
        ({}, [SUPPRESSED], {}),
    ],
)
def test_invalid_input_is_rejected(
    counts: dict[str, CategoryCount], expected: list[str], kwargs: dict[str, float]
) -> None:
    with pytest.raises(ValueError, match=r"must|reserved"):
        dimension_balance(counts, expected=expected, **kwargs)  # type: ignore[arg-type]


def test_negative_counts_are_rejected() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        cc(-1, 0)


# --- the gender floor -------------------------------------------------------------------------

GENDERS = ["woman", "man", "non_binary"]


def test_gender_floor_hides_small_categories_and_drops_a_small_bucket() -> None:
    counts = {"woman": cc(40, 8), "man": cc(60, 9), "non_binary": cc(7, 2), "agender": cc(3, 1)}
    result = dimension_balance(counts, expected=GENDERS, min_people=5)

    assert list(result.categories) == ["woman", "man"]
    assert result.suppressed == ("non_binary",)
    # Shares over the reported contributions only: a share over 110 would reveal the hidden 10.
    assert result.categories["woman"].share == pytest.approx(0.4)
    # non_binary still counts in K with w = 0, as an empty category would without the floor.
    assert result.categories["woman"].ratio == pytest.approx(0.4 * 3)
    assert result.index == pytest.approx(entropy_index([40, 60], 3))
    assert all(a.category in {"woman", "man"} for a in result.alerts)
    assert "agender" not in repr(result)


def test_gender_floor_reports_the_bucket_when_it_reaches_the_floor() -> None:
    counts = {"woman": cc(40, 8), "man": cc(50, 9), "non_binary": cc(7, 3), "agender": cc(3, 2)}
    result = dimension_balance(counts, expected=GENDERS, min_people=5)

    assert list(result.categories) == ["woman", "man", SUPPRESSED]
    assert result.categories[SUPPRESSED].participants == 5
    assert result.categories[SUPPRESSED].contributions == 10
    assert result.categories[SUPPRESSED].ratio == pytest.approx(0.1 * 3)
    assert result.index == pytest.approx(entropy_index([40, 50, 10], 3))
    assert kinds(result, SUPPRESSED) == {AlertKind.UNDER_REPRESENTED}
    assert "agender" not in repr(result)
    assert "non_binary" not in result.categories


def test_gender_floor_does_not_tell_nobody_from_a_few() -> None:
    base = {"woman": cc(40, 8), "man": cc(60, 9)}
    nobody = dimension_balance(base, expected=GENDERS, min_people=5)
    a_few = dimension_balance(base | {"non_binary": cc(9, 4)}, expected=GENDERS, min_people=5)

    assert nobody == a_few
    assert all(a.kind is not AlertKind.ABSENT for a in nobody.alerts)


def test_a_floor_of_one_hides_nobody() -> None:
    counts = {"woman": cc(4, 1), "man": cc(6, 2)}
    result = dimension_balance(counts, expected=GENDERS, min_people=1)

    assert result == dimension_balance(counts, expected=GENDERS)
    assert kinds(result, "non_binary") == {AlertKind.ABSENT}


FLOOR = 5
small_st = st.builds(
    CategoryCount, contributions=st.integers(0, 30), participants=st.integers(0, FLOOR - 1)
)
large_st = st.builds(
    CategoryCount, contributions=st.integers(0, 300), participants=st.integers(FLOOR, 50)
)
names_st = st.text(alphabet="abcdefghij", min_size=1, max_size=6)


@st.composite
def hidden_st(draw: st.DrawFn, small_expected: list[str]) -> dict[str, CategoryCount]:
    """Counts under the floor for the given expected categories and for unexpected ones."""
    hidden = {c: draw(small_st) for c in small_expected}
    hidden |= draw(st.dictionaries(names_st.map(lambda s: f"x_{s}"), small_st, max_size=3))
    return hidden


def resplit(hidden: dict[str, CategoryCount], expected: list[str]) -> dict[str, CategoryCount]:
    """The same totals as ``hidden``, spread differently over other categories under the floor."""
    contributions = sum(c.contributions for c in hidden.values())
    people = sum(c.participants for c in hidden.values())
    other = dict.fromkeys(expected, cc(0, 0))
    sizes = [min(FLOOR - 1, people - i) for i in range(0, people, FLOOR - 1)] or [0]
    for i, size in enumerate(sizes):
        other[f"y_{i}"] = cc(contributions if i == len(sizes) - 1 else 0, size)
    return other


@given(st.data())
def test_floor_output_never_depends_on_the_people_under_it(data: st.DataObject) -> None:
    large = data.draw(st.dictionaries(names_st, large_st, max_size=4))
    small_expected = data.draw(st.lists(names_st.map(lambda s: f"e_{s}"), unique=True, max_size=3))
    expected = [*large, *small_expected]
    first = data.draw(hidden_st(small_expected))
    second = data.draw(hidden_st(small_expected))

    one = dimension_balance(large | first, expected=expected, min_people=FLOOR)
    two = dimension_balance(large | second, expected=expected, min_people=FLOOR)
    regrouped = dimension_balance(
        large | resplit(first, small_expected), expected=expected, min_people=FLOOR
    )

    for result in (one, two):
        assert all(c.participants >= FLOOR for c in result.categories.values())
        assert set(result.categories) <= set(large) | {SUPPRESSED}
        assert {a.category for a in result.alerts} <= set(result.categories)
        assert result.suppressed == tuple(small_expected)
    # Whether it is reported or not, the bucket shows only totals, never how they split.
    assert regrouped == one
    if max(sum(c.participants for c in h.values()) for h in (first, second)) < FLOOR:
        assert one == two  # a dropped bucket leaves no trace at all


# --- properties -------------------------------------------------------------------------------

counts_st = st.dictionaries(
    st.sampled_from(GROUPS),
    st.builds(CategoryCount, contributions=st.integers(0, 50), participants=st.integers(0, 10)),
)


@given(counts_st, st.lists(st.sampled_from(GROUPS), unique=True))
def test_index_and_ratios_stay_within_bounds(
    counts: dict[str, CategoryCount], expected: list[str]
) -> None:
    result = dimension_balance(counts, expected=expected)
    total = sum(c.contributions for c in counts.values())

    if total == 0:
        assert result.index is None
        return
    assert result.index is not None
    assert 0.0 <= result.index <= 1.0
    assert math.fsum(c.share for c in result.categories.values()) == pytest.approx(1.0)
    assert math.fsum(c.ratio for c in result.categories.values()) == pytest.approx(
        len(result.categories)
    )


@given(counts_st, st.lists(st.sampled_from(GROUPS), unique=True), st.permutations(GROUPS))
def test_relabelling_categories_changes_nothing(
    counts: dict[str, CategoryCount], expected: list[str], permuted: list[str]
) -> None:
    rename = dict(zip(GROUPS, (f"r_{g}" for g in permuted), strict=True))
    before = dimension_balance(counts, expected=expected)
    after = dimension_balance(
        {rename[k]: v for k, v in counts.items()}, expected=[rename[e] for e in expected]
    )

    assert (after.index is None) == (before.index is None)
    if before.index is not None:
        assert after.index == pytest.approx(before.index, abs=1e-12)
    assert after.categories == {rename[k]: v for k, v in before.categories.items()}
    assert {Alert(a.kind, rename[a.category]) for a in before.alerts} == set(after.alerts)


# --- support priority and the queue -----------------------------------------------------------


@pytest.mark.parametrize(
    ("r_group", "r_region", "developing", "unfunded", "priority"),
    [
        (1.0, 1.0, False, False, 2.0),
        (2.0, 0.5, False, False, 0.5 + 2.0),
        (0.5, 0.25, True, False, 2.0 + 4.0 + 1.0),
        (1.0, 1.0, True, True, 4.0),
        (0.0, 0.0, False, False, 40.0),  # floored at 0.05
        (0.01, 0.05, True, True, 42.0),
        (0.1, math.inf, False, True, 10.0 + 0.0 + 1.0),
    ],
)
def test_support_priority(
    r_group: float, r_region: float, developing: bool, unfunded: bool, priority: float
) -> None:
    assert support_priority(
        r_group=r_group, r_region=r_region, developing=developing, unfunded=unfunded
    ) == pytest.approx(priority)


@pytest.mark.parametrize("bad", [-0.1, float("nan")])
def test_support_priority_rejects_impossible_ratios(bad: float) -> None:
    with pytest.raises(ValueError, match="must be >= 0"):
        support_priority(r_group=bad, r_region=1.0, developing=False, unfunded=False)


def test_support_priority_uses_the_balance_ratios() -> None:
    groups = dimension_balance({"government": cc(90, 3), "academia": cc(10, 2)}, expected=GROUPS)
    regions = dimension_balance({"africa": cc(20, 2), "asia_pacific": cc(80, 4)}, expected=[])

    priority = support_priority(
        r_group=groups.categories["academia"].ratio,
        r_region=regions.categories["africa"].ratio,
        developing=True,
        unfunded=False,
    )
    assert priority == pytest.approx(1 / (0.1 * 5) + 1 / (0.2 * 2) + 1)


def test_queue_puts_highest_priority_first_and_ties_by_earlier_request() -> None:
    t0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    requests = [
        ("late tie", 5.0, t0 + timedelta(hours=2)),
        ("low", 1.0, t0 - timedelta(days=9)),
        ("high", 9.0, t0 + timedelta(days=3)),
        ("early tie", 5.0, t0),
        ("same as early tie", 5.0, t0),
    ]
    calls: list[str] = []

    def key(request: tuple[str, float, datetime]) -> tuple[float, datetime]:
        calls.append(request[0])
        return request[1], request[2]

    ordered = order_support_queue(requests, key)

    assert [name for name, _, _ in ordered] == [
        "high",
        "early tie",
        "same as early tie",
        "late tie",
        "low",
    ]
    assert sorted(calls) == sorted(name for name, _, _ in requests)


def test_queue_of_nothing_is_empty() -> None:
    assert order_support_queue([], lambda item: item) == []
