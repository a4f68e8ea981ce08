"""Tests of the rough-consensus tally and designation (docs/design.md §3), without a database."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from consensus.designation import (
    DEFAULT_PARAMS,
    Counts,
    Designation,
    GroupResult,
    Params,
    Tally,
    lower_than,
    smoothed_support,
    tally,
)

GROUPS = [
    "government",
    "private_sector",
    "civil_society",
    "technical_community",
    "academia",
    "intergovernmental",
]


def every(counts: Counts) -> dict[str, Counts]:
    return dict.fromkeys(GROUPS, counts)


def p(s: int, n: int) -> Fraction:
    return Fraction(s + 1, n + 2)


# --- smoothed support -------------------------------------------------------------------------


@pytest.mark.parametrize(("s", "n"), [(0, 0), (0, 1), (1, 1), (4, 5), (3, 6), (0, 5), (7, 7)])
def test_smoothed_support_is_laplace_rule(s: int, n: int) -> None:
    assert smoothed_support(s, n) == float(Fraction(s + 1, n + 2))


def test_smoothed_support_without_ballots_is_a_half() -> None:
    assert smoothed_support(0, 0) == 0.5


@pytest.mark.parametrize(("s", "n"), [(-1, 0), (2, 1), (0, -1)])
def test_smoothed_support_rejects_impossible_counts(s: int, n: int) -> None:
    with pytest.raises(ValueError, match="0 <= s <= n"):
        smoothed_support(s, n)


# --- the worked examples of docs/design.md §3
# -----------------------------------------------------------


def test_four_support_one_addressed_objection_everywhere_is_consensus() -> None:
    result = tally(every(Counts(support=4, object=1)), expected=GROUPS, open_objections=0)

    assert all(g.p == float(p(4, 5)) == 5 / 7 for g in result.groups.values())
    assert result.quorum_met
    assert result.objections == 6
    assert result.x_share == 0.2
    assert result.s_min == result.s_mean == 5 / 7
    assert result.gic == pytest.approx((5 / 7) ** 6, rel=1e-15)
    assert result.gic_geo == pytest.approx(5 / 7, rel=1e-15)
    assert result.designation is Designation.CONSENSUS


def test_same_with_one_objection_still_open_is_strong_support() -> None:
    result = tally(every(Counts(support=4, object=1)), expected=GROUPS, open_objections=1)

    assert result.open_objections == 1
    assert result.designation is Designation.STRONG_SUPPORT


def test_a_whole_group_overruled_is_never_consensus() -> None:
    counts = dict.fromkeys(GROUPS[:5], Counts(support=5)) | {GROUPS[5]: Counts(object=5)}
    result = tally(counts, expected=GROUPS, open_objections=0)

    supporters = sum(c.s for c in counts.values())
    assert supporters / sum(c.n for c in counts.values()) == pytest.approx(0.83, abs=0.005)
    assert result.s_min == 1 / 7
    assert result.s_mean == float((5 * p(5, 5) + p(0, 5)) / 6)
    assert result.x_share == 5 / 30  # within minority_max_share: only S_min rules it out
    assert result.quorum_met
    assert result.designation is Designation.STRONG_SUPPORT


def test_one_supporter_in_every_group_is_full_consensus() -> None:
    result = tally(every(Counts(support=1)), expected=GROUPS, open_objections=0)

    assert all(g.p == 2 / 3 for g in result.groups.values())
    assert result.objections == 0
    assert result.designation is Designation.FULL_CONSENSUS


def test_one_expected_group_without_ballot_fails_quorum() -> None:
    counts = dict.fromkeys(GROUPS[:5], Counts(support=1))
    result = tally(counts, expected=GROUPS, open_objections=0)

    assert not result.quorum_met
    assert result.groups[GROUPS[5]] == GroupResult(support=0, accept=0, abstain=0, object=0, p=None)
    assert result.s_mean == 2 / 3  # over the five groups that voted
    assert result.designation is Designation.STRONG_SUPPORT


def test_three_support_three_object_everywhere_is_divergence() -> None:
    result = tally(every(Counts(support=3, object=3)), expected=GROUPS, open_objections=0)

    assert result.s_mean == 0.5
    assert result.designation is Designation.DIVERGENCE


# --- edge cases -------------------------------------------------------------------------------


def test_accept_counts_as_living_with_the_text_and_abstain_apart() -> None:
    result = tally(
        {"a": Counts(support=1, accept=2, abstain=5, object=1)}, expected=["a"], open_objections=1
    )
    group = result.groups["a"]

    assert (group.s, group.n) == (3, 4)
    assert group.p == float(p(3, 4))
    assert result.x_share == 1 / 4


def test_a_group_that_only_abstained_is_left_out_of_the_aggregates_and_misses_quorum() -> None:
    counts = {"a": Counts(support=2), "b": Counts(abstain=3)}
    result = tally(counts, expected=["a", "b"], open_objections=0)

    assert result.groups["b"].p is None
    assert result.s_mean == result.s_min == float(p(2, 2))
    assert not result.quorum_met
    assert result.designation is Designation.STRONG_SUPPORT


def test_nobody_voting_is_never_full_consensus_even_without_quorum_requirement() -> None:
    result = tally(
        {"a": Counts(abstain=2)},
        expected=["a", "b"],
        open_objections=0,
        params=Params(quorum_per_group=0),
    )

    assert result.quorum_met
    assert result.objections == 0
    assert result.x_share == 0.0
    assert (result.s_mean, result.s_min, result.gic, result.gic_geo) == (None,) * 4
    assert result.designation is Designation.DIVERGENCE


def test_empty_round_is_divergence() -> None:
    result = tally({}, expected=GROUPS, open_objections=0)

    assert list(result.groups) == GROUPS
    assert not result.quorum_met
    assert result.designation is Designation.DIVERGENCE


def test_quorum_per_group_counts_non_abstaining_ballots() -> None:
    counts = {"a": Counts(support=2), "b": Counts(support=1, abstain=4)}
    strict = tally(
        counts, expected=["a", "b"], open_objections=0, params=Params(quorum_per_group=2)
    )
    loose = tally(counts, expected=["a", "b"], open_objections=0, params=Params(quorum_per_group=1))

    assert not strict.quorum_met
    assert strict.designation is Designation.STRONG_SUPPORT
    assert loose.quorum_met
    assert loose.designation is Designation.FULL_CONSENSUS


def test_nothing_expected_means_quorum_holds_vacuously() -> None:
    result = tally({"a": Counts(support=1)}, expected=[], open_objections=0)

    assert result.quorum_met
    assert result.designation is Designation.FULL_CONSENSUS


def test_groups_hold_expected_in_order_then_observed_sorted_and_observed_count() -> None:
    counts = {"zeta": Counts(object=3), "b": Counts(support=1), "alpha": Counts(support=4)}
    result = tally(counts, expected=["b", "c", "b"], open_objections=0)

    assert list(result.groups) == ["b", "c", "alpha", "zeta"]
    assert result.objections == 3
    assert result.s_min == float(p(0, 3))  # the unexpected group weighs like any other


def test_s_min_exactly_at_the_threshold_is_consensus_and_just_below_is_not() -> None:
    others = dict.fromkeys("bcdef", Counts(support=10))
    at = tally(
        others | {"a": Counts(support=2, object=1)}, expected=list("abcdef"), open_objections=0
    )
    below = tally(
        others | {"a": Counts(support=1, object=1)}, expected=list("abcdef"), open_objections=0
    )

    assert at.s_min == 0.6
    assert at.x_share <= 0.2
    assert at.designation is Designation.CONSENSUS
    assert below.s_min == 0.5
    assert below.designation is Designation.STRONG_SUPPORT


def test_x_share_just_above_minority_max_share_is_not_consensus() -> None:
    # Every p_g is at least 5/7, but 7 objections among 34 ballots is more than a fifth.
    counts = every(Counts(support=4, object=1)) | {GROUPS[0]: Counts(support=7, object=2)}
    result = tally(counts, expected=GROUPS, open_objections=0)

    assert result.x_share == 7 / 34
    assert result.s_min == 5 / 7
    assert result.designation is Designation.STRONG_SUPPORT


def test_s_mean_exactly_at_the_threshold_is_strong_support() -> None:
    counts = {"a": Counts(support=1, object=1), "b": Counts(support=6, object=2)}
    result = tally(counts, expected=["a", "b"], open_objections=1)

    assert (result.groups["a"].p, result.groups["b"].p) == (0.5, 0.7)
    assert result.designation is Designation.STRONG_SUPPORT


def test_thresholds_are_read_as_the_decimals_they_are_written_as() -> None:
    # The double nearest 0.1 lies above 1/10 and the double nearest 0.7 below 7/10; compared as
    # binary fractions, S_min = 1/10 would miss ">= 0.1" and X_share = 7/10 would miss "<= 0.7".
    params = Params(group_support_min=0.1, minority_max_share=0.7, strong_support_mean=1.0)
    counts = {"a": Counts(object=8), "b": Counts(support=8, object=2)}
    result = tally(counts, expected=["a", "b"], open_objections=0, params=params)

    assert result.s_min == 0.1
    assert result.x_share == 10 / 18
    assert result.designation is Designation.CONSENSUS
    result = tally(
        {"a": Counts(support=3, object=7)}, expected=["a"], open_objections=0, params=params
    )

    assert result.x_share == 0.7
    assert result.designation is Designation.CONSENSUS


def test_thresholds_come_from_params() -> None:
    counts = every(Counts(support=4, object=1))
    demanding = Params(group_support_min=0.75, strong_support_mean=0.75)
    lenient = Params(minority_max_share=0.1, strong_support_mean=0.7)

    assert (
        tally(counts, expected=GROUPS, open_objections=0, params=demanding).designation
        is Designation.DIVERGENCE
    )
    assert (
        tally(counts, expected=GROUPS, open_objections=0, params=lenient).designation
        is Designation.STRONG_SUPPORT
    )


def test_gic_and_its_geometric_mean() -> None:
    counts = {"a": Counts(support=5), "b": Counts(object=5), "c": Counts(support=1, object=1)}
    result = tally(counts, expected=["a", "b", "c"], open_objections=0)
    product = p(5, 5) * p(0, 5) * p(1, 2)

    assert result.gic == float(product)
    assert result.gic_geo == pytest.approx(float(product) ** (1 / 3), rel=1e-12)


@pytest.mark.parametrize(
    "kwargs",
    [{"support": -1}, {"accept": -2}, {"abstain": -1}, {"object": -3}, {"support": 1.5}],
)
def test_negative_or_fractional_counts_are_rejected(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="non-negative int"):
        Counts(**kwargs)  # type: ignore[arg-type]


def test_open_objections_must_not_be_negative() -> None:
    with pytest.raises(ValueError, match="open_objections"):
        tally({"a": Counts(object=2)}, expected=["a"], open_objections=-1)


def test_an_open_objection_without_an_objecting_ballot_blocks_full_consensus() -> None:
    """A carried objection whose author did not vote again is still an unanswered open issue."""
    result = tally(every(Counts(support=1)), expected=GROUPS, open_objections=1)
    assert (result.objections, result.open_objections) == (0, 1)
    assert result.designation == "strong_support"


def test_counts_must_be_counts() -> None:
    with pytest.raises(TypeError, match="Counts"):
        tally({"a": (1, 0, 0, 0)}, expected=["a"], open_objections=0)  # type: ignore[dict-item]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"quorum_per_group": -1},
        {"group_support_min": 1.1},
        {"minority_max_share": -0.1},
        {"strong_support_mean": float("nan")},
    ],
)
def test_params_are_validated(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must"):
        Params(**kwargs)  # type: ignore[arg-type]


def test_designations_rank_from_full_consensus_down() -> None:
    ordered = [
        Designation.DIVERGENCE,
        Designation.STRONG_SUPPORT,
        Designation.CONSENSUS,
        Designation.FULL_CONSENSUS,
    ]
    assert sorted(Designation, key=lambda d: d.rank) == ordered
    for low, high in itertools.pairwise(ordered):
        assert lower_than(low, high)
        assert not lower_than(high, low)
    assert not lower_than(Designation.CONSENSUS, Designation.CONSENSUS)
    assert Designation("strong_support") is Designation.STRONG_SUPPORT


def test_the_same_rule_over_regions_can_give_a_lower_designation() -> None:
    # Every stakeholder group is content, but all the objectors come from one region.
    ballots = [(g, "western_europe_others", "support") for g in GROUPS for _ in range(4)]
    ballots += [(g, "africa", "object") for g in GROUPS]
    by_group: Counter[tuple[str, str]] = Counter((g, pos) for g, _, pos in ballots)
    by_region: Counter[tuple[str, str]] = Counter((r, pos) for _, r, pos in ballots)

    def counts(counter: Counter[tuple[str, str]]) -> dict[str, Counts]:
        keys = {k for k, _ in counter}
        return {
            k: Counts(support=counter[(k, "support")], object=counter[(k, "object")]) for k in keys
        }

    groups = tally(counts(by_group), expected=GROUPS, open_objections=0)
    regions = tally(
        counts(by_region), expected=["africa", "western_europe_others"], open_objections=0
    )

    assert groups.designation is Designation.CONSENSUS
    assert regions.s_min == float(p(0, 6))
    assert regions.designation is Designation.DIVERGENCE
    assert lower_than(regions.designation, groups.designation)


# --- properties -------------------------------------------------------------------------------

LABELS = ["g0", "g1", "g2", "g3", "g4", "g5", "g6"]
counts_st = st.builds(
    Counts,
    support=st.integers(0, 12),
    accept=st.integers(0, 12),
    abstain=st.integers(0, 5),
    object=st.integers(0, 12),
)
rounds_st = st.tuples(
    st.dictionaries(st.sampled_from(LABELS), counts_st, max_size=len(LABELS)),
    st.lists(st.sampled_from(LABELS), unique=True, max_size=6),
    st.floats(0, 1),
)
monotone_params_st = st.one_of(
    st.just(Params()),
    st.builds(
        Params,
        quorum_per_group=st.integers(0, 3),
        group_support_min=st.floats(0, 2 / 3),
        minority_max_share=st.floats(0, 1),
        strong_support_mean=st.floats(0, 2 / 3),
    ),
)


def run(
    counts: dict[str, Counts],
    expected: list[str],
    open_fraction: float,
    params: Params = DEFAULT_PARAMS,
) -> Tally:
    total = sum(c.object for c in counts.values())
    return tally(
        counts, expected=expected, open_objections=int(open_fraction * total), params=params
    )


def with_ballot(counts: dict[str, Counts], label: str, position: str) -> dict[str, Counts]:
    old = counts.get(label, Counts())
    new = Counts(**{f: getattr(old, f) + (f == position) for f in Counts.__dataclass_fields__})
    return counts | {label: new}


@given(rounds_st, st.permutations(LABELS))
def test_relabelling_groups_changes_nothing(
    round_: tuple[dict[str, Counts], list[str], float], permuted: list[str]
) -> None:
    counts, expected, open_fraction = round_
    rename = dict(zip(LABELS, (f"x_{label}" for label in permuted), strict=True))
    before = run(counts, expected, open_fraction)
    after = run(
        {rename[k]: v for k, v in counts.items()}, [rename[e] for e in expected], open_fraction
    )

    assert after.groups == {rename[k]: v for k, v in before.groups.items()}
    for field in (
        "quorum_met",
        "s_mean",
        "s_min",
        "gic",
        "gic_geo",
        "objections",
        "x_share",
        "open_objections",
        "designation",
    ):
        assert getattr(after, field) == getattr(before, field), field


@given(
    rounds_st, st.sampled_from(LABELS), st.sampled_from(["support", "accept"]), monotone_params_st
)
def test_adding_a_supporter_never_lowers_the_designation(
    round_: tuple[dict[str, Counts], list[str], float],
    label: str,
    position: str,
    params: Params,
) -> None:
    counts, expected, open_fraction = round_
    open_objections = int(open_fraction * sum(c.object for c in counts.values()))
    before = tally(counts, expected=expected, open_objections=open_objections, params=params)
    after = tally(
        with_ballot(counts, label, position),
        expected=expected,
        open_objections=open_objections,
        params=params,
    )

    assert not lower_than(after.designation, before.designation)


def test_a_new_supporting_group_can_lower_s_mean_below_a_demanding_threshold() -> None:
    # Why the monotonicity property needs thresholds <= 2/3: a newcomer group's p is 2/3.
    params = Params(strong_support_mean=0.7)
    counts = {"a": Counts(support=4, object=1)}
    before = tally(counts, expected=["a"], open_objections=1, params=params)
    after = tally(
        with_ballot(counts, "b", "support"), expected=["a"], open_objections=1, params=params
    )

    assert before.designation is Designation.STRONG_SUPPORT
    assert after.designation is Designation.DIVERGENCE


@given(
    rounds_st,
    st.sampled_from(LABELS),
    st.one_of(
        st.just(Params()),
        st.builds(
            Params,
            quorum_per_group=st.integers(0, 3),
            group_support_min=st.floats(0, 1),
            minority_max_share=st.floats(0, 1),
            strong_support_mean=st.floats(0.34, 1),
        ),
    ),
)
def test_adding_an_open_objection_never_raises_the_designation(
    round_: tuple[dict[str, Counts], list[str], float], label: str, params: Params
) -> None:
    counts, expected, open_fraction = round_
    open_objections = int(open_fraction * sum(c.object for c in counts.values()))
    before = tally(counts, expected=expected, open_objections=open_objections, params=params)
    after = tally(
        with_ballot(counts, label, "object"),
        expected=expected,
        open_objections=open_objections + 1,
        params=params,
    )

    assert not lower_than(before.designation, after.designation)


@given(rounds_st)
def test_reopening_an_objection_never_raises_the_designation(
    round_: tuple[dict[str, Counts], list[str], float],
) -> None:
    counts, expected, open_fraction = round_
    objections = sum(c.object for c in counts.values())
    open_objections = int(open_fraction * objections)
    assume(open_objections < objections)
    before = tally(counts, expected=expected, open_objections=open_objections)
    after = tally(counts, expected=expected, open_objections=open_objections + 1)

    assert not lower_than(before.designation, after.designation)


@given(rounds_st)
def test_figures_stay_within_their_bounds(
    round_: tuple[dict[str, Counts], list[str], float],
) -> None:
    counts, expected, open_fraction = round_
    result = run(counts, expected, open_fraction)
    voted = [g.p for g in result.groups.values() if g.p is not None]

    assert set(expected) | set(counts) == set(result.groups)
    assert all(0 < value < 1 for value in voted)
    assert all((g.p is None) == (g.n == 0) for g in result.groups.values())
    assert 0.0 <= result.x_share <= 1.0
    assert 0 <= result.open_objections <= result.objections
    if not voted:
        assert result.s_mean is result.s_min is result.gic is result.gic_geo is None
        return
    assert result.s_mean is not None
    assert result.s_min is not None
    assert result.gic is not None
    assert result.gic_geo is not None
    assert result.s_min == min(voted)
    assert result.s_mean == pytest.approx(math.fsum(voted) / len(voted), rel=1e-12)
    # product <= min (all p < 1) and min <= geometric mean <= arithmetic mean
    assert result.gic <= result.s_min
    assert result.s_min * (1 - 1e-12) <= result.gic_geo <= result.s_mean * (1 + 1e-12)
    assert result.gic_geo == pytest.approx(result.gic ** (1 / len(voted)), rel=1e-9)


@given(rounds_st)
def test_each_designation_meets_its_rule(
    round_: tuple[dict[str, Counts], list[str], float],
) -> None:
    counts, expected, open_fraction = round_
    result = run(counts, expected, open_fraction)
    designation = result.designation

    if designation is Designation.FULL_CONSENSUS:
        assert result.quorum_met
        assert result.objections == 0
        assert any(g.n for g in result.groups.values())
    elif designation is Designation.CONSENSUS:
        assert result.quorum_met
        assert result.open_objections == 0
        assert result.s_min is not None
        assert result.s_min >= 0.6
        assert result.x_share <= 0.2
    elif designation is Designation.STRONG_SUPPORT:
        assert result.s_mean is not None
        assert result.s_mean >= 0.6
    else:
        assert result.s_mean is None or result.s_mean < 0.6
    if not result.quorum_met:
        assert not lower_than(Designation.STRONG_SUPPORT, designation)
    if result.quorum_met and result.objections == 0 and any(g.n for g in result.groups.values()):
        assert designation is Designation.FULL_CONSENSUS
