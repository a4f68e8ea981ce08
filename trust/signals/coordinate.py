"""The coordination signal: pairs who cast the same positions at the same moments, too often."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from scipy import sparse, stats
from scipy.sparse.csgraph import connected_components

from trust.signals.facts import (
    CHUNK,
    COORDINATION,
    POSITION_CODE,
    POSITIONS,
    BallotFact,
    SignalResult,
    check_one_ballot_per_user_round,
    ratio,
)

COTIMING_P_MAX = 0.001
COTIMING_ROUND_Q_MAX = 0.5


def _values_at(matrix: sparse.csr_array, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    if rows.size == 0:
        return np.zeros(0, dtype=matrix.dtype)
    return np.asarray(matrix[rows, cols]).ravel()


def _upper_pairs(matrix: sparse.csr_array, minimum: float) -> tuple[np.ndarray, np.ndarray]:
    coo = sparse.triu(matrix, k=1).tocoo()
    keep = coo.data >= minimum
    return coo.row[keep].astype(np.int64), coo.col[keep].astype(np.int64)


def _partners(
    r: np.ndarray, t: np.ndarray, n_rounds: int, window: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort ballots by (round, time); return the order, the sorted rounds and, for each sorted
    ballot, how many of the following ballots of its round were cast at most ``window`` seconds
    later. Rounds are spaced apart on the sort key so no window crosses a round."""
    order = np.lexsort((t, r))
    rs, ts = r[order], t[order]
    start = np.full(n_rounds, np.inf)
    np.minimum.at(start, rs, ts)
    offset = ts - start[rs]
    key = rs * (float(offset.max()) + window + 1.0) + offset
    partners = np.searchsorted(key, key + window, side="right") - np.arange(key.size) - 1
    return order, rs, partners


def _chance(r: np.ndarray, t: np.ndarray, n_rounds: int, window: float) -> np.ndarray:
    """Per round, ``q_r`` = co-timed pairs of ballots / all pairs of ballots in it."""
    _, rs, partners = _partners(r, t, n_rounds, window)
    per_round = np.bincount(rs, minlength=n_rounds)
    pairs = per_round * (per_round - 1) / 2.0
    cotimed_pairs = np.bincount(rs, weights=partners, minlength=n_rounds)
    return np.divide(cotimed_pairs, pairs, out=np.zeros(n_rounds), where=pairs > 0)


def _cotimed_counts(
    u: np.ndarray, r: np.ndarray, t: np.ndarray, shape: tuple[int, int], window: float
) -> sparse.csr_array:
    """The users-by-users upper-triangular matrix of co-timed rounds per pair of users.

    Two ballots are co-timed when they are in the same round and cast at most ``window`` seconds
    apart. Pairs come from one sweep over ballots sorted by (round, time): a ballot's partners are
    the following ballots within the window, expanded at most CHUNK pairs at a time.
    """
    n_users, n_rounds = shape
    counts = sparse.csr_array((n_users, n_users), dtype=np.int64)
    if u.size == 0:
        return counts
    order, _, partners = _partners(r, t, n_rounds, window)
    us = u[order]
    index = np.arange(us.size)
    cumulative = np.cumsum(partners)
    begin = 0
    while begin < us.size:
        # the largest end with at most CHUNK pairs (at least one ballot per chunk)
        base = cumulative[begin - 1] if begin else 0
        end = max(begin + 1, int(np.searchsorted(cumulative, base + CHUNK, side="right")))
        rep = partners[begin:end]
        first = np.repeat(index[begin:end], rep)
        step = np.arange(first.size) - np.repeat(np.cumsum(rep) - rep, rep) + 1
        a, b = us[first], us[first + step]
        low, high = np.minimum(a, b), np.maximum(a, b)
        counts = counts + sparse.csr_array(
            (np.ones(low.size, dtype=np.int64), (low, high)), shape=(n_users, n_users)
        )
        begin = end
    return counts


@dataclass(frozen=True)
class _Pair:
    a: int
    b: int
    common: int
    agreement: float
    cotimed: int
    expected: float
    p_value: float
    criteria: tuple[str, ...]

    @property
    def score(self) -> float:
        ratios = []
        if "agreement" in self.criteria:
            ratios.append(self.agreement)
        if "cotiming" in self.criteria:
            ratios.append(self.cotimed / self.common)
        return max(ratios)

    def evidence(self) -> dict[str, Any]:
        return {
            "users": [self.a, self.b],
            "common_rounds": self.common,
            "agreement": self.agreement,
            "cotimed": self.cotimed,
            "expected_cotimed": self.expected,
            "p_value": self.p_value,
            "criteria": list(self.criteria),
        }


def coordination(
    ballots: Sequence[BallotFact],
    *,
    min_common: int = 10,
    agreement: float = 0.95,
    window_minutes: int = 20,
    min_cotimed: int = 10,
    registered: Mapping[int, datetime] | None = None,
    p_max: float = COTIMING_P_MAX,
) -> list[SignalResult]:
    """Find clusters of users who vote alike or at the same moments (docs/design.md §6,
    coordination).

    Before: at most one current ballot per (user, round), else ValueError; cast times are aware
    datetimes (or all naive).

    A pair of users qualifies by **agreement** when they have at least ``min_common`` rounds in
    common and cast the same position in at least ``agreement`` of them (compared exactly: 0.95 of
    20 is 19), or by **co-timing** when at least ``min_cotimed`` of their common rounds have their
    ballots at most ``window_minutes`` apart and that is far more than chance. Chance is the
    exchangeable null: in round r, ``q_r`` = the share of all pairs of ballots in r that are
    co-timed; if the pair's times were as independent as any two voters', their count of co-timed
    rounds would be a sum of independent Bernoulli(q_r) over their common rounds, with mean
    ``λ = Σ q_r``. The p-value is the Poisson tail ``P(Poisson(λ) >= c)``, which bounds that
    Bernoulli sum's tail from above once ``c >= λ + 1`` (Hoeffding 1956; Anderson and Samuels
    1967), so it never overstates the evidence; the pair qualifies when ``p < p_max`` (0.001).
    Because q_r is measured per round, a round everyone votes in during one meeting makes
    co-timing there unremarkable; a round with ``q_r > COTIMING_ROUND_Q_MAX`` (most pairs of its
    ballots co-timed) is left out of both the count and λ — it carries almost no evidence, the
    test over the remaining rounds is as valid, and such a round of n voters would otherwise cost
    n²/2 pairs to enumerate. Position agreement and common rounds come from sparse one-hot
    user-by-round matrices (``P Pᵀ``), co-timed pairs from one sorted sweep, not a loop over pairs.

    After: clusters are the connected components of qualifying pairs; every user in one gets a
    result, ``flagged`` True, in user order, with ``score`` = the best ratio among the user's
    qualifying pairs (agreement for agreement pairs, co-timed / common rounds for co-timed pairs).
    Evidence: ``cluster`` (sorted ids), ``pairs`` (the user's own qualifying pairs: ``users``,
    ``common_rounds``, ``agreement``, ``cotimed``, ``expected_cotimed``, ``p_value``,
    ``criteria``; the cluster page shows them together by joining its members' lists, and a ring
    of m accounts stores m - 1 pairs per member, not m²/2), ``cluster_pairs`` (how many pairs the
    whole cluster has), ``thresholds`` and, when ``registered`` is given, ``registered`` mapping
    each member's id as a string (JSON object keys are strings) to the ISO 8601 registration
    datetime, or None if unknown.
    """
    if not ballots:
        return []
    count = len(ballots)
    user_ids, u = np.unique(
        np.fromiter((b.user for b in ballots), dtype=np.int64, count=count), return_inverse=True
    )
    _, r = np.unique(
        np.fromiter((b.round for b in ballots), dtype=np.int64, count=count), return_inverse=True
    )
    u, r = u.reshape(-1), r.reshape(-1)
    n_users, n_rounds = user_ids.size, int(r.max()) + 1
    check_one_ballot_per_user_round(u, r, n_rounds)
    if n_users < 2:
        return []
    pos = np.fromiter((POSITION_CODE[b.position] for b in ballots), dtype=np.int8, count=count)
    t = np.fromiter((b.cast_at.timestamp() for b in ballots), dtype=np.float64, count=count)
    window = window_minutes * 60.0
    # Chance is measured over every ballot; pairs only among users with enough ballots to have
    # min_common (or min_cotimed) rounds in common with anyone, so a round of 200,000 one-off
    # voters never becomes 200,000² candidate pairs.
    chance = _chance(r, t, n_rounds, window)
    enough = np.bincount(u, minlength=n_users)[u] >= min(min_common, min_cotimed)
    u, r, pos, t = u[enough], r[enough], pos[enough], t[enough]
    count = int(enough.sum())
    if count == 0:
        return []
    informative = chance[r] <= COTIMING_ROUND_Q_MAX

    shape = (n_users, n_rounds)
    one_hot = [
        sparse.csr_array(
            (np.ones(int((pos == c).sum()), dtype=np.int64), (u[pos == c], r[pos == c])),
            shape=shape,
        )
        for c in range(len(POSITIONS))
    ]
    taking_part = sparse.csr_array((np.ones(count, dtype=np.int64), (u, r)), shape=shape)
    common = (taking_part @ taking_part.T).tocsr()
    agree = sum(
        (m @ m.T for m in one_hot), start=sparse.csr_array((n_users, n_users), dtype=np.int64)
    ).tocsr()
    cotimed = _cotimed_counts(u[informative], r[informative], t[informative], shape, window)
    chance = np.where(chance <= COTIMING_ROUND_Q_MAX, chance, 0.0)
    expected = (taking_part.multiply(chance[np.newaxis, :]).tocsr() @ taking_part.T).tocsr()

    num, den = ratio(agreement)
    rows_a, cols_a = _upper_pairs(common, min_common)
    ok = _values_at(agree, rows_a, cols_a) * den >= num * _values_at(common, rows_a, cols_a)
    rows_c, cols_c = _upper_pairs(cotimed, min_cotimed)
    tail = stats.poisson.sf(
        _values_at(cotimed, rows_c, cols_c) - 1, _values_at(expected, rows_c, cols_c)
    )
    by_agreement = set(zip(rows_a[ok].tolist(), cols_a[ok].tolist(), strict=True))
    by_cotiming = set(
        zip(rows_c[tail < p_max].tolist(), cols_c[tail < p_max].tolist(), strict=True)
    )
    pairs = sorted(by_agreement | by_cotiming)
    if not pairs:
        return []
    rows = np.array([a for a, _ in pairs], dtype=np.int64)
    cols = np.array([b for _, b in pairs], dtype=np.int64)
    n_common = _values_at(common, rows, cols)
    n_agree = _values_at(agree, rows, cols)
    n_cotimed = _values_at(cotimed, rows, cols)
    lam = _values_at(expected, rows, cols)
    found = [
        _Pair(
            a=int(user_ids[a]),
            b=int(user_ids[b]),
            common=int(n_common[i]),
            agreement=float(n_agree[i] / n_common[i]),
            cotimed=int(n_cotimed[i]),
            expected=float(lam[i]),
            p_value=float(stats.poisson.sf(n_cotimed[i] - 1, lam[i])) if n_cotimed[i] else 1.0,
            criteria=tuple(
                name
                for name, chosen in (("agreement", by_agreement), ("cotiming", by_cotiming))
                if (a, b) in chosen
            ),
        )
        for i, (a, b) in enumerate(pairs)
    ]
    thresholds = {
        "min_common": min_common,
        "agreement": agreement,
        "window_minutes": window_minutes,
        "min_cotimed": min_cotimed,
        "p_max": p_max,
    }
    return _clusters(
        found,
        rows=rows,
        cols=cols,
        n_users=n_users,
        user_ids=user_ids,
        thresholds=thresholds,
        registered=registered,
    )


def _clusters(
    found: list[_Pair],
    *,
    rows: np.ndarray,
    cols: np.ndarray,
    n_users: int,
    user_ids: np.ndarray,
    thresholds: dict[str, Any],
    registered: Mapping[int, datetime] | None,
) -> list[SignalResult]:
    """Group qualifying pairs into connected components and give each member its result."""
    graph = sparse.csr_array((np.ones(rows.size), (rows, cols)), shape=(n_users, n_users))
    _, label = connected_components(graph, directed=False)
    members: dict[int, list[int]] = {}
    for index in sorted(set(rows.tolist()) | set(cols.tolist())):
        members.setdefault(int(label[index]), []).append(int(user_ids[index]))
    own_pairs: dict[int, list[_Pair]] = {}
    in_cluster: dict[int, int] = {}
    for pair, a in zip(found, rows.tolist(), strict=True):
        in_cluster[int(label[a])] = in_cluster.get(int(label[a]), 0) + 1
        for user in (pair.a, pair.b):
            own_pairs.setdefault(user, []).append(pair)

    results: list[SignalResult] = []
    for component, cluster in members.items():
        dates = None
        if registered is not None:
            dates = {
                str(user): registered[user].isoformat() if user in registered else None
                for user in cluster
            }
        for user in cluster:
            evidence: dict[str, Any] = {
                "cluster": cluster,
                "pairs": [pair.evidence() for pair in own_pairs[user]],
                "cluster_pairs": in_cluster[component],
                "thresholds": thresholds,
            }
            if dates is not None:
                evidence["registered"] = dates
            score = max(pair.score for pair in own_pairs[user])
            results.append(
                SignalResult(
                    user=user, kind=COORDINATION, score=score, flagged=True, evidence=evidence
                )
            )
    return sorted(results, key=lambda result: result.user)
