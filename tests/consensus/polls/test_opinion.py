"""The pure opinion-map computation (docs/design.md §7), checked against figures computed here
independently, without a database."""

import csv
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consensus.polls import opinion

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "polis"


def _data(rows: list[tuple[int, int, int]], n_p: int, n_s: int, **kw: object) -> opinion.VoteData:
    p, s, v = (
        (np.array(col, dtype=np.int64) for col in zip(*rows, strict=True))
        if rows
        else (np.zeros(0, dtype=np.int64),) * 3
    )
    return opinion.VoteData(
        participants=np.arange(n_p),
        statements=np.arange(n_s),
        rows_participant=p,
        rows_statement=s,
        rows_vote=v,
        **kw,  # type: ignore[arg-type]
    )


def _two_camps(n: int = 20, statements: int = 10, seed: int = 3) -> list[tuple[int, int, int]]:
    """Half agree with the even statements and disagree with the odd ones; half the reverse."""
    rng = np.random.default_rng(seed)
    rows = []
    for p in range(n):
        camp = 1 if p < n // 2 else -1
        for s in range(statements):
            vote = camp if s % 2 == 0 else -camp
            if rng.random() < 0.1:
                vote = 0
            rows.append((p, s, vote))
    return rows


def test_latest_vote_counts_and_revotes() -> None:
    rows = [(0, 0, 1), (0, 0, -1), (1, 0, 0), (0, 1, 1)]
    p, s, v = opinion.latest_votes(_data(rows, 2, 2))
    assert sorted(zip(p.tolist(), s.tolist(), v.tolist(), strict=True)) == [
        (0, 0, -1),
        (0, 1, 1),
        (1, 0, 0),
    ]


def test_two_camps_are_two_groups_and_reproducible() -> None:
    data = _data(_two_camps(), 20, 10)
    first, second = opinion.compute(data), opinion.compute(data)
    assert first.k == 2
    assert set(first.group[:10]) != set(first.group[10:])
    assert len(set(first.group[:10])) == 1
    assert np.array_equal(first.group, second.group)
    assert np.allclose(first.x, second.x)


def test_figures_match_an_independent_computation() -> None:
    """GIC, pa, pat and the consensus set, recomputed here from the latest votes by loops."""
    rows = _two_camps(n=16, statements=8)
    # Statement 8 everyone agrees with; one participant changes a vote (the latest counts).
    rows += [(p, 8, 1) for p in range(16)] + [(0, 8, -1), (0, 8, 1), (3, 2, -1)]
    groups = ("government", "academia") * 8
    result = opinion.compute(_data(rows, 16, 9, stakeholder_groups=groups))
    latest: dict[tuple[int, int], int] = {}
    for p, s, v in rows:
        latest[(p, s)] = v
    opinion_group = {int(m): int(g) for m, g in zip(result.members, result.group, strict=True)}
    scores = {}
    for s in range(9):
        votes = [(p, v) for (p, j), v in latest.items() if j == s]
        na, ns = sum(v == 1 for _, v in votes), len(votes)
        pa = (1 + na) / (2 + ns)
        pat = 2 * math.sqrt(ns + 1) * ((na + 1) / (ns + 1) - 0.5)
        assert result.statements.pa[s] == pytest.approx(pa)
        assert result.statements.pat[s] == pytest.approx(pat)
        for labels, figure in (
            (opinion_group, result.statements.gic_opinion[s]),
            (dict(enumerate(groups)), result.statements.gic_stakeholder[s]),
        ):
            product = 1.0
            for g in set(labels.values()):
                a = sum(1 for p, v in votes if labels.get(p) == g and v == 1)
                n = sum(1 for p, _ in votes if labels.get(p) == g)
                product *= (a + 1) / (n + 2)
            assert figure == pytest.approx(product)
        if pa > 0.5 and pat > 1.2816:
            scores[s] = pa * pat
    top = sorted(scores, key=lambda s: (-scores[s], s))[:5]
    assert set(np.flatnonzero(result.statements.consensus)) == set(top)
    assert result.statements.consensus[8]


def test_published_vtaiwan_figure() -> None:
    """README: comment 40 over Pol.is's published groups has GIC (199/212)·(403/440)."""
    rows = list(csv.DictReader((SAMPLES / "vtaiwan.uberx" / "participants-votes.csv").open()))
    agrees, votes = np.zeros((2, 1)), np.zeros((2, 1))
    for row in rows:
        if row["group-id"] in {"0", "1"} and row["40"] != "":
            g = int(row["group-id"])
            votes[g, 0] += 1
            agrees[g, 0] += row["40"] == "1"
    assert (agrees[:, 0].tolist(), votes[:, 0].tolist()) == ([198, 402], [210, 438])
    assert opinion.gic(agrees, votes)[0] == pytest.approx(0.859745, abs=1e-6)


def test_threshold_and_moderated_out_statements() -> None:
    rows = _two_camps(n=12, statements=8)
    rows += [(12, 0, 1), (12, 1, 1)]  # too few votes for the map
    rows += [(p, 8, 1) for p in range(12)]  # on a statement left out of the map
    in_map = np.array([True] * 8 + [False])
    result = opinion.compute(_data(rows, 13, 9, in_map=in_map))
    assert 12 not in result.members
    assert len(result.members) == 12
    assert not result.statements.consensus[8]
    assert all(r.statement != 8 for group in result.repness for r in group)


def test_empty_and_tiny_polls() -> None:
    empty = opinion.compute(_data([], 0, 3))
    assert empty.k == 0
    assert len(empty.members) == 0
    one = opinion.compute(_data([(0, 0, 1)], 1, 1))
    assert one.k == 1
    assert one.members.tolist() == [0]
    assert np.isnan(one.statements.gic_stakeholder).all()


def test_repness_finds_each_camps_statements() -> None:
    result = opinion.compute(_data(_two_camps(n=30, statements=6), 30, 6))
    for g, picks in enumerate(result.repness):
        assert picks, f"group {g} has representative statements"
        camp_agrees_even = result.group_agrees[g, 0] > result.group_disagrees[g, 0]
        for r in picks:
            expected = 1 if (r.statement % 2 == 0) == camp_agrees_even else -1
            assert r.direction == expected


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 14), st.integers(0, 7), st.sampled_from([-1, 0, 1])),
        min_size=1,
        max_size=120,
    ),
    st.randoms(use_true_random=False),
)
def test_properties(rows: list[tuple[int, int, int]], random: object) -> None:
    """Bounds, and invariance under renumbering the participants."""
    result = opinion.compute(_data(rows, 15, 8))
    figures = result.statements
    assert ((figures.pa > 0) & (figures.pa < 1)).all()
    ok = ~np.isnan(figures.gic_opinion)
    assert ((figures.gic_opinion[ok] > 0) & (figures.gic_opinion[ok] < 1)).all()
    assert figures.consensus.sum() <= 5
    assert (figures.agrees + figures.disagrees <= figures.votes).all()
    order = list(range(15))
    random.shuffle(order)  # type: ignore[attr-defined]
    renamed = [(order[p], s, v) for p, s, v in rows]
    again = opinion.compute(_data(renamed, 15, 8))
    assert np.allclose(again.statements.pa, figures.pa)
    assert np.allclose(again.statements.gic_opinion, figures.gic_opinion, equal_nan=True)
    assert sorted(order[m] for m in result.members) == sorted(again.members.tolist())


def test_two_identical_camps_are_two_groups() -> None:
    """Every member of a camp votes alike: two distinct points still make two groups."""
    rows = [(p, s, 1 if p < 4 else -1) for p in range(8) for s in range(3)]
    result = opinion.compute(_data(rows, 8, 3))
    assert result.k == 2
    assert sorted(np.bincount(result.group).tolist()) == [4, 4]
    assert opinion.compute(_data([(0, 0, 1), (1, 0, -1)], 2, 1)).k == 1
