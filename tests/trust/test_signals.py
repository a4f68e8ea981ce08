"""Tests of the advisory bad-actor signals (trust/signals/, docs/design.md §6), no database."""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consensus.designation import smoothed_support
from trust.signals import (
    COORDINATION,
    FLAGS,
    OBSTRUCTION,
    SYBIL,
    BallotFact,
    RoundFact,
    SignalResult,
    coordination,
    flag_weight,
    flags,
    jaccard,
    obstruction,
    sybil_suspicion,
)
from trust.signals import coordinate as coordinate_module

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def closes(round_id: int) -> datetime:
    """Round n closes n weeks after T0; its ballots fall in the week before."""
    return T0 + timedelta(weeks=round_id)


def rounds_of(*ids: int, gsm: float = 0.6) -> list[RoundFact]:
    return [RoundFact(round=i, group_support_min=gsm, closed_at=closes(i)) for i in ids]


def ballot(
    user: int,
    round_id: int,
    group: str,
    position: str,
    *,
    state: str | None = None,
    text: str | None = None,
    minute: int = 0,
) -> BallotFact:
    if position == "object" and state is None:
        state = "open"
    return BallotFact(
        user=user,
        round=round_id,
        group=group,
        position=position,
        cast_at=closes(round_id) - timedelta(days=3) + timedelta(minutes=minute),
        objection_state=state,
        objection_text=text if text is not None else ("reason" if position == "object" else None),
    )


def by_user(results: list[SignalResult]) -> dict[int, SignalResult]:
    return {result.user: result for result in results}


def supporters(round_id: int, groups: dict[str, list[int]]) -> list[BallotFact]:
    return [
        ballot(user, round_id, group, "support", minute=7 * user)
        for group, users in groups.items()
        for user in users
    ]


# --- Jaccard ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("the text ignores small operators", "the text ignores small operators", 1.0),
        ("The text IGNORES small operators!", "the text, ignores small operators", 1.0),
        ("a b c d e", "a b c d", 0.8),
        ("a b c d e", "e d c b a a a", 1.0),
        ("a b c", "d e f", 0.0),
        ("a b c", "a b d", 0.5),
        ("", "", 0.0),
        ("...", "a", 0.0),
        ("Überall Straße", "überall straße", 1.0),
    ],
)
def test_jaccard_examples(a: str, b: str, expected: float) -> None:
    assert jaccard(a, b) == pytest.approx(expected)


@given(st.text(max_size=40), st.text(max_size=40))
def test_jaccard_is_symmetric_and_bounded(a: str, b: str) -> None:
    assert jaccard(a, b) == jaccard(b, a)
    assert 0.0 <= jaccard(a, b) <= 1.0


# --- Obstruction -----------------------------------------------------------------------------


def lone_objector_rounds(n: int, *, state: str = "open") -> list[BallotFact]:
    """Rounds where only user 1's objection breaks cross-group support.

    Group a: user 1 objects, user 2 supports; group b: users 3, 4 support. With user 1's ballot,
    p_a = 2/4 = 0.5 < 0.6; without it, p_a = 2/3 and p_b = 3/4, so S_min = 2/3 >= 0.6.
    """
    ballots = []
    for r in range(1, n + 1):
        ballots.append(ballot(1, r, "a", "object", state=state, text=f"objection number {r} on x"))
        ballots += supporters(r, {"a": [2], "b": [3, 4]})
    return ballots


def test_leave_one_out_excludes_the_users_own_ballot() -> None:
    # the premise: counting user 1's own objection, the round would lack cross-group support
    assert min(smoothed_support(1, 2), smoothed_support(2, 2)) < 0.6
    assert min(smoothed_support(1, 1), smoothed_support(2, 2)) >= 0.6
    result = by_user(obstruction(lone_objector_rounds(6), rounds_of(*range(1, 7))))[1]
    assert result.kind == OBSTRUCTION
    assert result.evidence["k"] == 6
    assert result.evidence["x"] == 6
    assert result.evidence["rounds_counted"] == [1, 2, 3, 4, 5, 6]
    assert result.score == pytest.approx(7 / 10)
    assert result.flagged


def test_a_round_others_have_broken_is_not_counted() -> None:
    # Group b has two objectors besides user 1, so the round lacks support with or without user 1.
    ballots = lone_objector_rounds(6)
    for r in range(1, 7):
        ballots += [
            ballot(5, r, "b", "object", text="b one"),
            ballot(6, r, "b", "object", text="b two"),
        ]
    results = by_user(obstruction(ballots, rounds_of(*range(1, 7))))
    assert results[1].evidence["k"] == 0
    assert results[1].score == pytest.approx(1 / 4)
    assert not results[1].flagged
    # p_b without user 5 = (2 + 1) / (3 + 2) = 0.6 but p_a = 2/4 with user 1's objection
    assert results[5].evidence["k"] == 0


def test_supporters_get_low_scores() -> None:
    results = by_user(obstruction(lone_objector_rounds(6), rounds_of(*range(1, 7))))
    for user in (2, 3, 4):
        # leaving a supporter out, user 1's objection still breaks group a in every round
        assert results[user].evidence["x"] == 0
        assert not results[user].flagged


def test_accommodated_objections_do_not_count() -> None:
    ballots = lone_objector_rounds(6, state="accommodated")
    result = by_user(obstruction(ballots, rounds_of(*range(1, 7))))[1]
    assert result.evidence["k"] == 6
    assert result.evidence["x"] == 0
    assert result.evidence["objection_rounds"] == []
    assert result.evidence["accommodated"] == {"rounds": [1, 2, 3, 4, 5, 6], "count": 6}
    assert result.score == pytest.approx(1 / 10)
    assert not result.flagged


def test_accommodated_objections_are_shown_even_outside_counted_rounds() -> None:
    ballots = [ballot(1, 1, "a", "object", state="accommodated"), *supporters(1, {"b": [2]})]
    result = by_user(obstruction(ballots, rounds_of(1)))[1]
    # without user 1 only group b voted: p_b = 2/3 >= 0.6, so the round counts; the objection not
    assert result.evidence["k"] == 1
    assert result.evidence["accommodated"]["count"] == 1


REPEATED = "this proposal ignores the needs of small rural network operators entirely"
RECYCLED = "This proposal ignores the needs of small rural network operators, entirely!!"
ALTERED = "this proposal ignores the needs of small rural network operators entirely again"
DIFFERENT = "the appendix contradicts section four on data retention for registries"


def repeat_case(earlier_state: str, text: str, *, earlier_round: int = 1) -> SignalResult:
    """User 9 objected in ``earlier_round`` in group c; user 1 objects in round 2 with ``text``.

    Group c has three supporters in both rounds, so user 9's objection leaves it at p_c = 4/6.
    """
    ballots = [
        ballot(9, earlier_round, "c", "object", state=earlier_state, text=REPEATED),
        *supporters(1, {"c": [10, 11, 12]}),
        ballot(1, 2, "a", "object", state="open", text=text),
        *supporters(2, {"a": [2], "b": [3, 4], "c": [10, 11, 12]}),
    ]
    return by_user(obstruction(ballots, rounds_of(1, 2)))[1]


def test_repeating_an_addressed_objection_counts_double() -> None:
    assert jaccard(ALTERED, REPEATED) >= 0.8
    for text in (REPEATED, RECYCLED, ALTERED):
        result = repeat_case("addressed", text)
        assert result.evidence["k"] == 1
        assert result.evidence["x"] == 2
        [repeat] = result.evidence["repeats"]
        assert repeat["round"] == 2
        assert repeat["of_round"] == 1
        assert repeat["jaccard"] == pytest.approx(jaccard(text, REPEATED))


@pytest.mark.parametrize(
    ("earlier_state", "text", "earlier_round"),
    [
        ("addressed", DIFFERENT, 1),  # not a repeat
        ("open", REPEATED, 1),  # a repeat, but of an objection nobody answered yet
        ("withdrawn", REPEATED, 1),
        ("accommodated", REPEATED, 1),
        ("addressed", REPEATED, 2),  # same round: not earlier
    ],
)
def test_other_objections_count_once(earlier_state: str, text: str, earlier_round: int) -> None:
    result = repeat_case(earlier_state, text, earlier_round=earlier_round)
    assert result.evidence["x"] == 1
    assert result.evidence["repeats"] == []


def test_a_repeat_of_the_users_own_addressed_objection_counts_double() -> None:
    ballots = []
    for r in (1, 2):
        ballots.append(ballot(1, r, "a", "object", state="addressed", text=REPEATED))
        ballots += supporters(r, {"a": [2], "b": [3, 4]})
    result = by_user(obstruction(ballots, rounds_of(1, 2)))[1]
    assert result.evidence["x"] == 3
    assert result.evidence["repeats"] == [{"round": 2, "of_round": 1, "jaccard": 1.0}]


def test_earlier_means_closed_earlier_not_a_smaller_id() -> None:
    ballots = [
        ballot(9, 7, "c", "object", state="addressed", text=REPEATED),
        ballot(1, 3, "a", "object", text=REPEATED),
        *supporters(3, {"a": [2], "b": [3, 4]}),
    ]
    rounds = [
        RoundFact(round=7, group_support_min=0.6, closed_at=T0),
        RoundFact(round=3, group_support_min=0.6, closed_at=T0 + timedelta(days=1)),
    ]
    result = by_user(obstruction(ballots, rounds))[1]
    assert result.evidence["repeats"] == [{"round": 3, "of_round": 7, "jaccard": 1.0}]


def test_doubled_score_is_clipped_to_one() -> None:
    ballots = []
    for r in range(1, 7):
        ballots.append(ballot(1, r, "a", "object", state="addressed", text=REPEATED))
        ballots += supporters(r, {"a": [2], "b": [3, 4]})
    result = by_user(obstruction(ballots, rounds_of(*range(1, 7))))[1]
    assert result.evidence["x"] == 1 + 2 * 5
    assert result.evidence["score_unclipped"] == pytest.approx(12 / 10)
    assert result.score == 1.0
    assert result.flagged


@pytest.mark.parametrize("k", [0, 1, 2, 3, 4])
def test_fewer_than_five_counted_rounds_never_flag(k: int) -> None:
    ballots = []
    for r in range(1, k + 1):
        ballots.append(ballot(1, r, "a", "object", state="addressed", text=REPEATED))
        ballots += supporters(r, {"a": [2], "b": [3, 4]})
    ballots.append(ballot(1, 99, "a", "support"))  # so that user 1 has a result when k = 0
    result = by_user(obstruction(ballots, rounds_of(*range(1, k + 1), 99)))[1]
    # round 99 does not count: without user 1 nobody cast a non-abstaining ballot in it
    assert result.evidence["k"] == k
    # every objection but the first repeats an addressed one: x = 2k - 1, so from k = 2 on the
    # score passes 1/2 (for k = 4, (7 + 1) / 8 = 1) and only k keeps the signal down
    x = max(0, 2 * k - 1)
    assert result.evidence["x"] == x
    assert result.score == pytest.approx(min(1.0, (x + 1) / (k + 4)))
    assert not result.flagged


def test_k_of_five_flags_at_exactly_one_half() -> None:
    # k = 5: (x + 1) / 9 >= 1/2 needs x >= 3.5, so 4 objections flag and 3 do not
    for objections, expected in ((3, False), (4, True)):
        ballots = []
        for r in range(1, 6):
            position = "object" if r <= objections else "support"
            ballots.append(ballot(1, r, "a", position, text=f"distinct reason {r} {'z' * r}"))
            ballots += supporters(r, {"a": [2], "b": [3, 4]})
        result = by_user(obstruction(ballots, rounds_of(*range(1, 6))))[1]
        assert result.evidence["k"] == 5
        assert result.flagged is expected


def test_ballots_of_other_rounds_are_ignored_and_duplicates_refused() -> None:
    ballots = lone_objector_rounds(2)
    assert [r.user for r in obstruction(ballots, rounds_of(3))] == []
    with pytest.raises(ValueError, match="one current ballot"):
        obstruction([*ballots, ballot(1, 1, "a", "support")], rounds_of(1, 2))
    with pytest.raises(ValueError, match="distinct"):
        obstruction(ballots, [*rounds_of(1), *rounds_of(1)])
    with pytest.raises(ValueError, match="position"):
        ballot(1, 1, "a", "block")


def test_per_round_threshold_is_used() -> None:
    # without user 1, S_min = 2/3: supported at 0.6, not at 0.7
    ballots = lone_objector_rounds(2)
    rounds = [
        RoundFact(round=1, group_support_min=0.6, closed_at=closes(1)),
        RoundFact(round=2, group_support_min=0.7, closed_at=closes(2)),
    ]
    assert by_user(obstruction(ballots, rounds))[1].evidence["rounds_counted"] == [1]


POSITION = st.sampled_from(["support", "accept", "abstain", "object"])
# few words, so that texts often land near a Jaccard of 0.8 from one another
TEXT = st.lists(st.sampled_from(["the", "fee", "cap", "is", "too", "low", "high", "now"]))


@st.composite
def small_processes(draw: st.DrawFn) -> tuple[list[BallotFact], list[RoundFact]]:
    n_users = draw(st.integers(1, 7))
    n_rounds = draw(st.integers(1, 8))
    ballots = []
    for r in range(1, n_rounds + 1):
        for user in range(1, n_users + 1):
            if draw(st.booleans()):
                position = draw(POSITION)
                ballots.append(
                    ballot(
                        user,
                        r,
                        draw(st.sampled_from("abc")),
                        position,
                        state=draw(st.sampled_from(["open", "addressed", "accommodated"]))
                        if position == "object"
                        else None,
                        text=" ".join(draw(TEXT)),
                    )
                )
    # some rounds close at the same moment: neither is earlier than the other
    closing = {r: closes(draw(st.integers(1, r))) for r in range(1, n_rounds + 1)}
    rounds = [RoundFact(round=r, group_support_min=0.6, closed_at=closing[r]) for r in closing]
    return ballots, rounds


def reference_obstruction(
    ballots: list[BallotFact], rounds: list[RoundFact]
) -> dict[int, tuple[int, int]]:
    """(k, x) per user by the plain definition, one round, user and objection at a time."""
    closed = {rnd.round: rnd.closed_at for rnd in rounds}
    addressed = [b for b in ballots if b.position == "object" and b.objection_state == "addressed"]
    kx: dict[int, tuple[int, int]] = {}
    for rnd in rounds:
        here = [b for b in ballots if b.round == rnd.round]
        for me in here:
            rest = [b for b in here if b is not me]
            groups = {b.group for b in rest if b.position != "abstain"}
            ps = []
            for group in groups:
                s = sum(b.group == group and b.position in ("support", "accept") for b in rest)
                n = sum(b.group == group and b.position != "abstain" for b in rest)
                ps.append(smoothed_support(s, n))
            counted = bool(ps) and min(ps) >= rnd.group_support_min
            weight = 0
            if counted and me.position == "object" and me.objection_state != "accommodated":
                repeat = any(
                    closed[b.round] < rnd.closed_at
                    and jaccard(me.objection_text or "", b.objection_text or "") >= 0.8
                    for b in addressed
                )
                weight = 2 if repeat else 1
            k, x = kx.get(me.user, (0, 0))
            kx[me.user] = (k + counted, x + weight)
    return kx


@settings(max_examples=200, deadline=None)
@given(small_processes())
def test_obstruction_matches_the_plain_definition(
    process: tuple[list[BallotFact], list[RoundFact]],
) -> None:
    ballots, rounds = process
    results = obstruction(ballots, rounds)
    assert {r.user: (r.evidence["k"], r.evidence["x"]) for r in results} == reference_obstruction(
        ballots, rounds
    )
    for result in results:
        assert 0.0 < result.score <= 1.0
        assert result.flagged == (result.evidence["k"] >= 5 and result.score >= 0.5)
        assert json.loads(json.dumps(result.evidence)) == result.evidence


@settings(max_examples=75, deadline=None)
@given(small_processes(), st.permutations(["a", "b", "c"]))
def test_obstruction_is_invariant_under_relabelling_groups(
    process: tuple[list[BallotFact], list[RoundFact]], relabelled: list[str]
) -> None:
    ballots, rounds = process
    rename = dict(zip("abc", relabelled, strict=True))
    renamed = [replace(b, group=rename[b.group]) for b in ballots]
    assert obstruction(renamed, rounds) == obstruction(ballots, rounds)


@settings(max_examples=75, deadline=None)
@given(small_processes(), st.data())
def test_accommodating_an_objection_never_raises_a_score(
    process: tuple[list[BallotFact], list[RoundFact]], data: st.DataObject
) -> None:
    ballots, rounds = process
    objections = [i for i, b in enumerate(ballots) if b.position == "object"]
    if not objections:
        return
    i = data.draw(st.sampled_from(objections))
    changed = list(ballots)
    changed[i] = replace(changed[i], objection_state="accommodated")
    before = by_user(obstruction(ballots, rounds))
    after = by_user(obstruction(changed, rounds))
    assert after[ballots[i].user].score <= before[ballots[i].user].score


# --- Coordination ----------------------------------------------------------------------------


def test_pairs_agreeing_on_95_percent_of_common_rounds_form_a_cluster() -> None:
    rng = random.Random(3)
    positions = ["support", "accept", "abstain", "object"]
    ballots = []
    for r in range(1, 21):
        shared = positions[r % 4]
        ballots.append(ballot(1, r, "a", shared, minute=rng.randrange(5000)))
        # user 2 agrees with user 1 on 19 of 20 rounds, user 3 on 18 of 20
        ballots.append(
            ballot(2, r, "b", shared if r != 1 else "object", minute=rng.randrange(5000))
        )
        ballots.append(ballot(3, r, "c", shared if r > 2 else "object", minute=rng.randrange(5000)))
    results = by_user(coordination(ballots))
    # 1 and 3 agree on 18/20 = 0.9; 2 and 3 on 19/20 (round 1 both object, round 2 differs)
    assert set(results) == {1, 2, 3}
    pairs = {tuple(p["users"]): p for p in results[2].evidence["pairs"]}
    assert set(pairs) == {(1, 2), (2, 3)}
    assert [p["users"] for p in results[1].evidence["pairs"]] == [[1, 2]]
    assert pairs[(1, 2)]["agreement"] == pytest.approx(0.95)
    assert pairs[(1, 2)]["criteria"] == ["agreement"]
    assert results[1].evidence["cluster"] == [1, 2, 3]
    assert all(result.flagged and result.kind == COORDINATION for result in results.values())
    assert results[1].score == pytest.approx(0.95)


def test_too_few_common_rounds_is_no_signal() -> None:
    ballots = [ballot(u, r, "a", "support", minute=u * 500) for u in (1, 2) for r in range(9)]
    assert coordination(ballots) == []
    assert len(coordination(ballots, min_common=9)) == 2


def test_cotimed_ballots_flag_even_with_different_positions() -> None:
    rng = random.Random(5)
    ballots = []
    for r in range(1, 13):
        minute = rng.randrange(10000)
        ballots.append(ballot(1, r, "a", "support", minute=minute))
        ballots.append(ballot(2, r, "b", "object" if r % 2 else "accept", minute=minute + 3))
        # background voters spread over the week make co-timing rare by chance
        ballots += [
            ballot(u, r, "c", rng.choice(["support", "accept"]), minute=rng.randrange(10000))
            for u in range(3, 30)
        ]
    results = by_user(coordination(ballots, registered={1: T0, 2: T0 + timedelta(hours=1)}))
    assert set(results) == {1, 2}
    [pair] = results[1].evidence["pairs"]
    assert pair["criteria"] == ["cotiming"]
    assert pair["cotimed"] == 12
    assert pair["p_value"] < 0.001
    assert pair["expected_cotimed"] < 1
    assert results[1].score == pytest.approx(1.0)
    assert results[1].evidence["registered"] == {
        "1": T0.isoformat(),
        "2": (T0 + timedelta(hours=1)).isoformat(),
    }


def test_everyone_voting_in_one_meeting_is_not_cotiming() -> None:
    # each round is voted in a 15-minute meeting: every pair is co-timed, and so is chance
    rng = random.Random(8)
    ballots = [
        ballot(u, r, "a", rng.choice(["support", "accept", "abstain"]), minute=rng.randrange(15))
        for r in range(1, 13)
        for u in range(1, 11)
    ]
    assert coordination(ballots, min_common=100) == []


def test_two_rings_are_two_clusters_and_evidence_is_json() -> None:
    rng = random.Random(11)
    ballots = []
    for r in range(1, 13):
        for ring in ((1, 2, 3), (4, 5)):
            position = rng.choice(["support", "accept", "object"])
            minute = rng.randrange(10000)
            ballots += [ballot(u, r, "a", position, minute=minute) for u in ring]
    results = by_user(coordination(ballots))
    assert results[1].evidence["cluster"] == [1, 2, 3]
    assert results[5].evidence["cluster"] == [4, 5]
    assert "registered" not in results[1].evidence
    assert len(results[2].evidence["pairs"]) == 2
    assert results[2].evidence["cluster_pairs"] == 3
    for result in results.values():
        assert json.loads(json.dumps(result.evidence)) == result.evidence


# --- Sybil suspicion -------------------------------------------------------------------------


def test_sybil_lowest_decile_with_activity_above_median() -> None:
    trust = dict.fromkeys(range(1, 21), 0.05)
    trust |= {1: 0.001, 2: 0.002, 3: 0.003}
    activity = dict.fromkeys(range(1, 21), 5) | {1: 9, 2: 9, 3: 9}
    results = by_user(sybil_suspicion(trust, activity))
    # 20 accounts: the decile is the 2 lowest; account 3 is the third lowest
    assert {u for u, r in results.items() if r.flagged} == {1, 2}
    assert results[1].kind == SYBIL
    assert results[1].evidence["decile_size"] == 2
    assert results[1].evidence["trust_percentile"] == pytest.approx(0.0)
    assert results[1].evidence["median_activity"] == 5.0
    assert results[1].score == pytest.approx(1 - 1 / 20)


def test_sybil_activity_at_the_median_is_not_above_it() -> None:
    trust = {u: float(u) for u in range(1, 11)}
    activity = dict.fromkeys(range(1, 11), 4)
    assert not any(r.flagged for r in sybil_suspicion(trust, activity))


def test_sybil_ties_straddling_the_decile_flag_no_one() -> None:
    # 8 of 20 accounts nobody endorsed share trust 0: trust cannot rank them, so none is flagged
    trust = {u: (0.0 if u <= 8 else 0.01 * u) for u in range(1, 21)}
    activity = {u: (50 if u <= 8 else 1) for u in range(1, 21)}
    results = sybil_suspicion(trust, activity)
    assert not any(r.flagged for r in results)
    assert results[0].evidence["at_or_below"] == 8
    # a tie that fits inside the decile is flagged whole
    trust |= dict.fromkeys(range(3, 9), 0.5)
    assert {r.user for r in sybil_suspicion(trust, activity) if r.flagged} == {1, 2}


def test_sybil_merges_values_that_differ_only_by_rounding() -> None:
    trust = dict.fromkeys(range(1, 21), 0.05) | {1: 1e-3, 2: 1e-3 + 1e-17, 3: 1e-3 - 1e-17}
    activity = dict.fromkeys(range(1, 21), 1) | {1: 5, 2: 5, 3: 5}
    assert not any(r.flagged for r in sybil_suspicion(trust, activity))


def test_sybil_needs_ten_accounts_and_valid_input() -> None:
    assert not any(r.flagged for r in sybil_suspicion({1: 0.0, 2: 1.0}, {1: 9, 2: 0}))
    assert sybil_suspicion({}, {}) == []
    with pytest.raises(ValueError, match="finite"):
        sybil_suspicion({1: float("nan")}, {})


# --- Flags -----------------------------------------------------------------------------------


def test_an_average_users_flag_weighs_one() -> None:
    population = 37
    assert flag_weight([1 / population], population=population) == pytest.approx(1.0)
    assert flag_weight([1 / population] * 3, population=population) == pytest.approx(3.0)
    assert flag_weight([], population=population) == 0.0
    with pytest.raises(ValueError, match="population"):
        flag_weight([0.1], population=0)
    with pytest.raises(ValueError, match="finite"):
        flag_weight([-0.1], population=5)


def test_flags_weigh_reporters_by_trust() -> None:
    population = 1000
    average = 1 / population
    results = by_user(
        flags(
            {
                1: [average] * 3,  # three average users
                2: [average] * 2,  # two
                3: [1e-6] * 40,  # forty accounts nobody trusts
                4: [3.5 * average],  # one well-trusted reporter
            },
            population=population,
        )
    )
    assert results[1].flagged
    assert not results[2].flagged
    assert not results[3].flagged
    assert results[3].score == pytest.approx(0.04)
    assert results[4].flagged
    assert results[4].evidence["reporter_weights"] == [pytest.approx(3.5)]
    assert results[1].kind == FLAGS
    assert results[1].evidence["reports"] == 3


@given(
    st.lists(st.floats(0, 1, allow_nan=False), max_size=20),
    st.floats(0, 1, allow_nan=False),
    st.integers(1, 10_000),
)
def test_flag_weight_grows_with_each_report(
    trusts: list[float], extra: float, population: int
) -> None:
    assert flag_weight([*trusts, extra], population=population) >= flag_weight(
        trusts, population=population
    )


# --- Simulation ------------------------------------------------------------------------------

GROUPS = ("civil_society", "business", "government", "technical", "academia", "users")
ROUNDS = 12
OBSTRUCTOR = 1
PRINCIPLED = 2
RING = (35, 36, 37, 38, 39, 40)
HONEST = tuple(range(3, 35))
RECYCLED_OBJECTION = (
    "this proposal ignores the concerns of small operators and should be rejected outright"
)
VOCABULARY = [
    "retention",
    "registry",
    "appeal",
    "transparency",
    "budget",
    "liability",
    "audit",
    "privacy",
    "translation",
    "timeline",
    "definition",
    "scope",
    "escrow",
    "jurisdiction",
    "accessibility",
    "funding",
    "oversight",
    "sunset",
    "review",
    "metric",
]


@dataclass(frozen=True)
class Community:
    ballots: list[BallotFact]
    rounds: list[RoundFact]
    registered: dict[int, datetime]
    trust: dict[int, float]
    activity: dict[int, int]
    reports: dict[int, list[float]]


def simulate(seed: int = 2025) -> Community:
    """40 stakeholders in 6 groups over 12 rounds; the Django test builds the same community.

    Users 3-34 are honest: each takes part in a round with probability 0.9, supports (0.6),
    accepts (0.25), abstains (0.1) or objects (0.05) with a reason of its own, at a random minute
    of the round's week. User 1 obstructs: objects every round with recycled wording, the earlier
    objections mostly addressed. User 2 objects twice, both accommodated, and otherwise supports.
    Users 35-40 are a ring registered together that casts identical ballots at identical times.
    """
    rng = random.Random(seed)
    group = {user: GROUPS[user % len(GROUPS)] for user in range(1, 41)}
    registered = {user: T0 - timedelta(days=400 - 9 * user) for user in range(1, 35)}
    registered |= {user: T0 - timedelta(days=20, minutes=40 - user) for user in RING}
    rounds = rounds_of(*range(1, ROUNDS + 1))
    ballots: list[BallotFact] = []

    def cast(user: int, r: int, position: str, minute: int, **objection: str) -> None:
        ballots.append(
            BallotFact(
                user=user,
                round=r,
                group=group[user],
                position=position,
                cast_at=closes(r) - timedelta(weeks=1) + timedelta(minutes=minute),
                objection_state=objection.get("state"),
                objection_text=objection.get("text"),
            )
        )

    week = 7 * 24 * 60
    for r in range(1, ROUNDS + 1):
        for user in HONEST:
            if rng.random() >= 0.9:
                continue
            [position] = rng.choices(["support", "accept", "abstain", "object"], [60, 25, 10, 5])
            reason = f"{user} {r} " + " ".join(rng.sample(VOCABULARY, 6))
            state = rng.choice(["open", "addressed", "accommodated"])
            extra = {"state": state, "text": reason} if position == "object" else {}
            cast(user, r, position, rng.randrange(week), **extra)
        words = RECYCLED_OBJECTION.split()
        if r % 3 == 0:
            words.insert(rng.randrange(len(words)), "clearly")  # light rewording
        cast(
            OBSTRUCTOR,
            r,
            "object",
            rng.randrange(week),
            state="addressed" if r <= 9 else "open",
            text=" ".join(words),
        )
        if r in (4, 9):
            text = f"section {r} conflicts with the escrow rules for registries in small markets"
            cast(PRINCIPLED, r, "object", rng.randrange(week), state="accommodated", text=text)
        else:
            cast(PRINCIPLED, r, "support", rng.randrange(week))
        ring_position = rng.choice(["support", "support", "accept", "abstain"])
        ring_minute = rng.randrange(week)
        for user in RING:
            cast(user, r, ring_position, ring_minute)

    # A stand-in for EigenTrust (tested in test_eigentrust.py): honest accounts hold comparable
    # trust, the ring almost none, each ring account a different small amount; sums to 1.
    raw = {user: rng.uniform(0.8, 1.2) for user in range(1, 35)}
    raw |= {user: 0.001 * (i + 1) for i, user in enumerate(RING)}
    total = sum(raw.values())
    trust = {user: value / total for user, value in raw.items()}
    activity = {user: sum(b.user == user for b in ballots) for user in range(1, 41)}
    # Five honest users report the obstructor; the ring reports an honest user.
    reports = {
        OBSTRUCTOR: [trust[user] for user in HONEST[:5]],
        HONEST[0]: [trust[user] for user in RING],
    }
    return Community(ballots, rounds, registered, trust, activity, reports)


def flagged_users(results: list[SignalResult]) -> set[int]:
    return {result.user for result in results if result.flagged}


def test_simulation_obstructor_is_flagged_and_principled_objector_is_not() -> None:
    community = simulate()
    results = by_user(obstruction(community.ballots, community.rounds))
    obstructor = results[OBSTRUCTOR]
    assert obstructor.flagged
    assert obstructor.evidence["k"] >= 10
    assert len(obstructor.evidence["repeats"]) >= 8
    assert all(repeat["jaccard"] >= 0.8 for repeat in obstructor.evidence["repeats"])
    principled = results[PRINCIPLED]
    assert not principled.flagged
    assert principled.evidence["x"] == 0
    assert principled.evidence["accommodated"] == {"rounds": [4, 9], "count": 2}
    assert principled.score < 0.1
    assert flagged_users(list(results.values())) == {OBSTRUCTOR}


def test_simulation_ring_is_exactly_one_coordination_cluster() -> None:
    community = simulate()
    results = coordination(community.ballots, registered=community.registered)
    assert {result.user for result in results} == set(RING)
    clusters = {tuple(result.evidence["cluster"]) for result in results}
    assert clusters == {RING}
    evidence = results[0].evidence
    assert len(evidence["pairs"]) == 5
    assert evidence["cluster_pairs"] == 15
    assert all(RING[0] in pair["users"] for pair in evidence["pairs"])
    assert all(pair["criteria"] == ["agreement", "cotiming"] for pair in evidence["pairs"])
    assert set(evidence["registered"]) == {str(user) for user in RING}
    assert all(result.score == 1.0 for result in results)


def test_simulation_no_honest_user_is_flagged_by_any_signal() -> None:
    community = simulate()
    signals = [
        *obstruction(community.ballots, community.rounds),
        *coordination(community.ballots, registered=community.registered),
        *sybil_suspicion(community.trust, community.activity),
        *flags(community.reports, population=len(community.trust)),
    ]
    flagged = flagged_users(signals)
    assert not flagged & set(HONEST)
    assert not flagged & {PRINCIPLED}
    # the others the signals should and do catch
    assert OBSTRUCTOR in flagged_users(flags(community.reports, population=40))
    assert flagged_users(sybil_suspicion(community.trust, community.activity)) == set(RING[:4])


def test_simulation_is_seed_stable() -> None:
    # the property does not hinge on one lucky seed
    for seed in range(5):
        community = simulate(seed)
        flagged = flagged_users(
            [
                *obstruction(community.ballots, community.rounds),
                *coordination(community.ballots),
            ]
        )
        assert flagged == {OBSTRUCTOR, *RING}


# --- Scale -----------------------------------------------------------------------------------


def test_thousands_of_rounds_and_hundreds_of_users_run_in_seconds() -> None:
    rng = np.random.default_rng(0)
    n_users, n_rounds = 300, 2000
    present = rng.random((n_users, n_rounds)) < 0.5
    users, rounds = np.nonzero(present)
    positions = rng.choice(4, size=users.size, p=[0.6, 0.25, 0.1, 0.05])
    minutes = rng.integers(0, 7 * 24 * 60, size=users.size)
    names = ["support", "accept", "abstain", "object"]
    ballots = [
        BallotFact(
            user=int(u),
            round=int(r),
            group=GROUPS[int(u) % 6],
            position=names[int(p)],
            cast_at=T0 + timedelta(weeks=int(r), minutes=int(m)),
            objection_state="addressed" if p == 3 else None,
            objection_text=f"objection {u} {r} about item {r % 17}" if p == 3 else None,
        )
        for u, r, p, m in zip(users, rounds, positions, minutes, strict=True)
    ]
    all_rounds = [
        RoundFact(round=r, group_support_min=0.6, closed_at=T0 + timedelta(weeks=r + 1))
        for r in range(n_rounds)
    ]
    started = time.perf_counter()
    assert len(obstruction(ballots, all_rounds)) == n_users
    coordination(ballots)
    assert time.perf_counter() - started < 20.0


def test_a_huge_round_of_one_off_voters_is_no_quadratic_pair_search() -> None:
    # 200,000 voters in one round would be 4·10¹⁰ candidate pairs; none can have 10 common rounds.
    at = datetime(2026, 1, 1, tzinfo=UTC)
    ballots = [
        BallotFact(user=i, round=1, group="government", position="support", cast_at=at)
        for i in range(200_000)
    ]
    assert coordination(ballots) == []


def test_rounds_where_most_ballots_are_co_timed_are_not_searched_for_pairs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 300 voters in 12 rounds, every ballot of a round in the same minute: a meeting, not a ring,
    # and n²/2 pairs per round that the co-timing sweep must not enumerate.
    at = datetime(2026, 1, 1, tzinfo=UTC)
    ballots = [
        BallotFact(
            user=user,
            round=round_,
            group="government",
            position=("support", "accept", "abstain")[(user * 7 + round_ * 3) % 3],
            cast_at=at + timedelta(days=round_, seconds=user % 60),
        )
        for user in range(300)
        for round_ in range(12)
    ]
    swept: list[int] = []
    real = coordinate_module._cotimed_counts

    def spy(u: np.ndarray, *args: object) -> object:
        swept.append(int(u.size))
        return real(u, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(coordinate_module, "_cotimed_counts", spy)
    assert coordination(ballots, min_common=20) == []
    assert swept == [0]
