"""Advisory bad-actor signals — obstruction, coordination, Sybil suspicion, flags (SPEC §6)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from typing import Any

import numpy as np
from scipy import sparse, stats
from scipy.sparse.csgraph import connected_components

from consensus.designation import smoothed_support
from trust.eigentrust import percentiles

__all__ = [
    "COORDINATION",
    "COTIMING_P_MAX",
    "FLAGS",
    "FLAG_THRESHOLD",
    "OBJECTION_STATES",
    "OBSTRUCTION",
    "OBSTRUCTION_K_MIN",
    "OBSTRUCTION_SCORE_MIN",
    "POSITIONS",
    "REPEAT_JACCARD",
    "SYBIL",
    "BallotFact",
    "RoundFact",
    "SignalResult",
    "coordination",
    "flag_weight",
    "flags",
    "jaccard",
    "obstruction",
    "sybil_suspicion",
]

OBSTRUCTION = "obstruction"
COORDINATION = "coordination"
SYBIL = "sybil"
FLAGS = "flags"

POSITIONS = ("support", "accept", "abstain", "object")
OBJECTION_STATES = ("open", "addressed", "accommodated", "withdrawn")
_POSITION_CODE = {name: code for code, name in enumerate(POSITIONS)}
_SUPPORT, _ACCEPT, _ABSTAIN, _OBJECT = range(4)

OBSTRUCTION_K_MIN = 5
OBSTRUCTION_SCORE_MIN = 0.5
REPEAT_JACCARD = 0.8
COTIMING_P_MAX = 0.001
COTIMING_ROUND_Q_MAX = 0.5
SYBIL_DECILE = 0.1
# EigenTrust values of structurally equal accounts may differ in the last bits; trust sums to 1,
# so rounding to 1e-12 merges them without merging any two accounts a person could tell apart.
TRUST_TIE_DECIMALS = 12
# Three reports from accounts of average endorsement trust (see flag_weight): one report, however
# angry, is not a signal; a reporter with three times the average trust alone is.
FLAG_THRESHOLD = 3.0
# The weights are sums of floats; a total that is 3 up to rounding is 3.
_FLAG_RELATIVE_SLACK = 1e-9
# Upper bound on the entries of one sparse product or pair list held at once.
_CHUNK = 4_000_000

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class BallotFact:
    """A user's current ballot in one round, as the trust service reads it from the database.

    ``group`` is the stakeholder group of the hat worn. ``objection_state`` and ``objection_text``
    describe the Objection an ``object`` ballot opened (a missing state reads as ``open``); they are
    ignored on other positions.

    After construction: ``position`` is one of POSITIONS and ``objection_state`` is None or one of
    OBJECTION_STATES, else ValueError.
    """

    user: int
    round: int
    group: str
    position: str
    cast_at: datetime
    objection_state: str | None = None
    objection_text: str | None = None

    def __post_init__(self) -> None:
        """Check the position and the objection state against their vocabularies."""
        if self.position not in _POSITION_CODE:
            msg = f"position must be one of {POSITIONS}, got {self.position!r}"
            raise ValueError(msg)
        if self.objection_state is not None and self.objection_state not in OBJECTION_STATES:
            msg = f"objection_state must be None or one of {OBJECTION_STATES}, got "
            msg += repr(self.objection_state)
            raise ValueError(msg)


@dataclass(frozen=True)
class RoundFact:
    """A closed round: its id, the process's ``group_support_min`` and when it closed."""

    round: int
    group_support_min: float
    closed_at: datetime


@dataclass(frozen=True)
class SignalResult:
    """One advisory signal about one user.

    ``score`` is the signal's figure (higher is more suspicious; see each function), ``flagged``
    says whether it reaches the signal's threshold, and ``evidence`` holds what an admin needs to
    judge it, built only from str, int, float, bool, None, lists and dicts with str keys, so that
    it survives a JSON round trip unchanged.
    """

    user: int
    kind: str
    score: float
    flagged: bool
    evidence: dict[str, Any] = field(hash=False)


def _tokens(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


def jaccard(a: str, b: str) -> float:
    """Return the Jaccard similarity of the lowercase word-token sets of ``a`` and ``b``.

    Tokens are runs of Unicode word characters (``\\w+``) after ``str.lower``; punctuation, case,
    order and repetition do not matter. After: the result lies in [0, 1]; it is 1 for texts with
    the same non-empty token set and 0 when either text has no token at all (an empty text repeats
    nothing).
    """
    ta, tb = _tokens(a), _tokens(b)
    union = len(ta | tb)
    return len(ta & tb) / union if union else 0.0


def _ratio(value: float) -> tuple[int, int]:
    """Return a threshold as the exact fraction of its decimal reading (0.95 means 19/20)."""
    exact = Fraction(repr(float(value)))
    return exact.numerator, exact.denominator


def _check_one_ballot_per_user_round(users: np.ndarray, rounds: np.ndarray, n_rounds: int) -> None:
    keys = np.sort(users * np.int64(n_rounds) + rounds)
    if keys.size > 1 and bool(np.any(keys[1:] == keys[:-1])):
        msg = "ballots must hold one current ballot per (user, round)"
        raise ValueError(msg)


def _smoothed_array(s: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Apply designation.smoothed_support elementwise, calling it once per distinct (s, n)."""
    if s.size == 0:
        return np.zeros(0)
    width = np.int64(n.max()) + 1
    distinct, inverse = np.unique(s * width + n, return_inverse=True)
    values = np.array([smoothed_support(int(k // width), int(k % width)) for k in distinct])
    return values[inverse.reshape(-1)]


def _split_by(owner: np.ndarray, values: np.ndarray, n_owners: int) -> list[list[Any]]:
    """Split ``values`` (already sorted by ``owner``) into one Python list per owner 0..n-1."""
    counts = np.bincount(owner, minlength=n_owners)
    return [chunk.tolist() for chunk in np.split(values, np.cumsum(counts)[:-1])]


# --- Obstruction -----------------------------------------------------------------------------


def _leave_one_out_support(
    p: np.ndarray, r: np.ndarray, g: np.ndarray, own: np.ndarray
) -> np.ndarray:
    """Return, per ballot, S_min of its round with the ballot's own group replaced by ``own``.

    ``p`` is rounds-by-groups with ``inf`` where a group cast no non-abstaining ballot; ``own`` is
    the ballot's group recomputed without the ballot (``inf`` if nothing is left). The minimum over
    the other groups is the round's smallest value unless the ballot's group holds it, in which
    case it is the second smallest (equal to the smallest when two groups tie).
    """
    if p.shape[1] >= 2:
        two = np.partition(p, 1, axis=1)
        first, second = two[:, 0], two[:, 1]
    else:
        first, second = p[:, 0], np.full(p.shape[0], np.inf)
    holder = np.argmin(p, axis=1)
    others = np.where(holder[r] == g, second[r], first[r])
    return np.minimum(others, own)


def _token_rows(texts: Sequence[str], indices: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Return (row, token id) for every distinct token of ``texts[i]`` for i in ``indices``."""
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    tokens: list[int] = []
    for row, i in enumerate(indices.tolist()):
        for token in _tokens(texts[i]):
            rows.append(row)
            tokens.append(vocabulary.setdefault(token, len(vocabulary)))
    return np.array(rows, dtype=np.int64), np.array(tokens, dtype=np.int64), len(vocabulary)


def _repeats(
    texts: Sequence[str],
    queries: np.ndarray,
    pool: np.ndarray,
    closed: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Find, for each query objection, the earlier addressed objection whose text it repeats.

    ``texts[i]`` and ``closed[i]`` (close time of its round) describe objection i; ``queries`` and
    ``pool`` index into them. A query repeats a pool objection when the pool objection's round
    closed strictly earlier and the token Jaccard similarity is at least REPEAT_JACCARD (compared
    exactly, in integers). Returns, per query, the index of the best match (highest similarity,
    then earliest) or -1, and that similarity (0 when none).

    Candidates come from prefix filtering (Chaudhuri et al. 2006; Bayardo et al. 2007), written
    here with sparse products because no maintained library does an exact Jaccard join: with
    every text's tokens ordered rarest first, two sets with overlap o >= ceil(t·|x|) share a token
    among the first ``|x| - ceil(t·|x|) + 1`` of each, so only texts sharing a rare prefix token
    are compared; common words ("the", "proposal") never make a candidate on their own.
    """
    match = np.full(queries.size, -1, dtype=np.int64)
    score = np.zeros(queries.size)
    if queries.size == 0 or pool.size == 0:
        return match, score
    everyone = np.concatenate((queries, pool))
    n_queries, n_rows = queries.size, everyone.size
    owner, token, width = _token_rows(texts, everyone)
    size = np.bincount(owner, minlength=n_rows)
    frequency = np.bincount(token, minlength=width)
    order = np.lexsort((token, frequency[token], owner))
    owner, token = owner[order], token[order]
    rank = np.arange(owner.size) - np.repeat(np.cumsum(size) - size, size)
    num, den = _ratio(REPEAT_JACCARD)
    least_overlap = -(-num * size // den)
    prefix = rank < (size - least_overlap + 1)[owner]
    ones = np.ones(owner.size, dtype=np.int64)
    full = sparse.csr_array((ones, (owner, token)), shape=(n_rows, width))
    head = sparse.csr_array((ones[prefix], (owner[prefix], token[prefix])), shape=(n_rows, width))
    query_head, pool_head = head[:n_queries], head[n_queries:].T.tocsr()
    when = closed[everyone]

    step = max(1, _CHUNK // pool.size)
    for start in range(0, n_queries, step):
        candidates = (query_head[start : start + step] @ pool_head).tocoo()
        qi = start + candidates.row.astype(np.int64)
        pj = n_queries + candidates.col.astype(np.int64)
        # a Jaccard of t needs the smaller set to hold at least t of the larger
        near = (size[qi] * den >= num * size[pj]) & (size[pj] * den >= num * size[qi])
        qi, pj = qi[near & (when[pj] < when[qi])], pj[near & (when[pj] < when[qi])]
        inter = np.asarray(full[qi].multiply(full[pj]).sum(axis=1)).ravel().astype(np.int64)
        union = size[qi] + size[pj] - inter
        ok = (union > 0) & (inter * den >= num * union)
        qi, pj, sim = qi[ok], pj[ok], inter[ok] / np.maximum(union[ok], 1)
        best = np.lexsort((when[pj], -sim, qi))
        qi, pj, sim = qi[best], pj[best], sim[best]
        first = np.ones(qi.size, dtype=bool)
        first[1:] = qi[1:] != qi[:-1]
        match[qi[first]] = everyone[pj[first]]
        score[qi[first]] = sim[first]
    return match, score


def obstruction(ballots: Sequence[BallotFact], rounds: Sequence[RoundFact]) -> list[SignalResult]:
    """Compute the obstruction signal of SPEC §6 for every user who voted in one of ``rounds``.

    Before: ``rounds`` are closed rounds with distinct ids; ``ballots`` hold at most one current
    ballot per (user, round), else ValueError. Ballots of rounds not in ``rounds`` are ignored.

    A round counts for user u when u cast a ballot in it and, leaving u's ballot out, it had
    cross-group support: over the groups with at least one non-abstaining ballot,
    ``S_min = min p_g >= group_support_min`` with ``p_g = smoothed_support(support + accept,
    support + accept + object)``; a round left with no such group has no support to obstruct. ``k``
    is the number of counted rounds and ``x`` the weight of u's objections among them: an objection
    later ``accommodated`` weighs 0 (it improved the text), one whose text repeats (token Jaccard
    >= 0.8) an objection by anyone that was ``addressed`` in a round closed strictly earlier weighs
    2, any other weighs 1. The ballot's position decides whether it is an objection; a withdrawn
    objection has turned the ballot into ``abstain`` upstream.

    After: one result per such user, in user order, with ``score = min(1, (x + 1) / (k + 4))`` —
    the posterior mean of the spec; doubled repeats can push ``(x + 1) / (k + 4)`` above 1, which
    is not a probability, so it is clipped and the raw figure kept in the evidence. ``flagged``
    holds when ``k >= 5`` and the score is at least 0.5 (compared exactly). Evidence: ``k``, ``x``,
    ``score_unclipped``, ``rounds_counted``, ``objection_rounds`` (the objections that count),
    ``repeats`` (``{"round", "of_round", "jaccard"}`` each), ``accommodated`` (``{"rounds",
    "count"}`` over every given round, shown beside the signal as the spec asks), ``k_min`` and
    ``score_min``. Round lists follow the rounds' closing order.
    """
    order = sorted(rounds, key=lambda item: (item.closed_at, item.round))
    round_ids = [item.round for item in order]
    if len(set(round_ids)) != len(round_ids):
        msg = "rounds must have distinct ids"
        raise ValueError(msg)
    position_of = {rid: i for i, rid in enumerate(round_ids)}
    kept = [b for b in ballots if b.round in position_of]
    if not kept:
        return []
    n_rounds = len(round_ids)
    user_ids, u = np.unique(
        np.fromiter((b.user for b in kept), dtype=np.int64, count=len(kept)), return_inverse=True
    )
    u = u.reshape(-1)
    r = np.fromiter((position_of[b.round] for b in kept), dtype=np.int64, count=len(kept))
    _check_one_ballot_per_user_round(u, r, n_rounds)
    group_of: dict[str, int] = {}
    g = np.fromiter(
        (group_of.setdefault(b.group, len(group_of)) for b in kept), dtype=np.int64, count=len(kept)
    )
    pos = np.fromiter((_POSITION_CODE[b.position] for b in kept), dtype=np.int8, count=len(kept))
    is_object = pos == _OBJECT
    s_b = ((pos == _SUPPORT) | (pos == _ACCEPT)).astype(np.int64)
    n_b = s_b + is_object

    n_groups = len(group_of)
    cell = r * n_groups + g
    s_cell = np.bincount(cell, weights=s_b, minlength=n_rounds * n_groups).astype(np.int64)
    n_cell = np.bincount(cell, weights=n_b, minlength=n_rounds * n_groups).astype(np.int64)
    p = np.where(n_cell > 0, _smoothed_array(s_cell, n_cell), np.inf).reshape(n_rounds, n_groups)
    s_own, n_own = s_cell[cell] - s_b, n_cell[cell] - n_b
    own = np.where(n_own > 0, _smoothed_array(s_own, n_own), np.inf)
    support = _leave_one_out_support(p, r, g, own)
    threshold = np.array([item.group_support_min for item in order], dtype=np.float64)
    counted = np.isfinite(support) & (support >= threshold[r])

    state = np.array([b.objection_state or "open" for b in kept], dtype=object)
    accommodated = is_object & (state == "accommodated")
    against = counted & is_object & ~accommodated
    closed = np.array([item.closed_at.timestamp() for item in order])[r]
    queries = np.flatnonzero(against)
    texts = [b.objection_text or "" for b in kept]
    match, similarity = _repeats(
        texts, queries, np.flatnonzero(is_object & (state == "addressed")), closed
    )
    weight = against.astype(np.int64)
    weight[queries[match >= 0]] = 2

    rid = np.asarray(round_ids, dtype=np.int64)
    return _obstruction_results(
        user_ids=user_ids,
        u=u,
        round_of=rid[r],
        r=r,
        counted=counted,
        against=against,
        accommodated=accommodated,
        weight=weight,
        repeats=(queries, match, similarity),
    )


def _obstruction_results(
    *,
    user_ids: np.ndarray,
    u: np.ndarray,
    round_of: np.ndarray,
    r: np.ndarray,
    counted: np.ndarray,
    against: np.ndarray,
    accommodated: np.ndarray,
    weight: np.ndarray,
    repeats: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> list[SignalResult]:
    """Assemble one obstruction SignalResult per user from the per-ballot arrays."""
    n_users = user_ids.size
    by_user = np.lexsort((r, u))

    def per_user(mask: np.ndarray) -> list[list[Any]]:
        chosen = by_user[mask[by_user]]
        return _split_by(u[chosen], round_of[chosen], n_users)

    counted_rounds = per_user(counted)
    objection_rounds = per_user(against)
    accommodated_rounds = per_user(accommodated)
    k = np.bincount(u, weights=counted, minlength=n_users).astype(np.int64)
    x = np.bincount(u[counted], weights=weight[counted], minlength=n_users).astype(np.int64)

    queries, match, similarity = repeats
    repeat_lists: list[list[dict[str, Any]]] = [[] for _ in range(n_users)]
    found = match >= 0
    hits = queries[found]
    hit_order = np.lexsort((r[hits], u[hits]))
    for q, m, sim in zip(
        hits[hit_order].tolist(),
        match[found][hit_order].tolist(),
        similarity[found][hit_order].tolist(),
        strict=True,
    ):
        repeat_lists[int(u[q])].append(
            {"round": int(round_of[q]), "of_round": int(round_of[m]), "jaccard": sim}
        )

    results: list[SignalResult] = []
    for i, user in enumerate(user_ids.tolist()):
        ki, xi = int(k[i]), int(x[i])
        raw = (xi + 1) / (ki + 4)
        results.append(
            SignalResult(
                user=user,
                kind=OBSTRUCTION,
                score=min(1.0, raw),
                # (x + 1) / (k + 4) >= 1/2, in integers
                flagged=ki >= OBSTRUCTION_K_MIN and 2 * (xi + 1) >= ki + 4,
                evidence={
                    "k": ki,
                    "x": xi,
                    "score_unclipped": raw,
                    "rounds_counted": counted_rounds[i],
                    "objection_rounds": objection_rounds[i],
                    "repeats": repeat_lists[i],
                    "accommodated": {
                        "rounds": accommodated_rounds[i],
                        "count": len(accommodated_rounds[i]),
                    },
                    "k_min": OBSTRUCTION_K_MIN,
                    "score_min": OBSTRUCTION_SCORE_MIN,
                },
            )
        )
    return results


# --- Coordination ----------------------------------------------------------------------------


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
    the following ballots within the window, expanded at most _CHUNK pairs at a time.
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
        # the largest end with at most _CHUNK pairs (at least one ballot per chunk)
        base = cumulative[begin - 1] if begin else 0
        end = max(begin + 1, int(np.searchsorted(cumulative, base + _CHUNK, side="right")))
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
    """Find clusters of users who vote alike or at the same moments (SPEC §6, coordination).

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
    _check_one_ballot_per_user_round(u, r, n_rounds)
    if n_users < 2:
        return []
    pos = np.fromiter((_POSITION_CODE[b.position] for b in ballots), dtype=np.int8, count=count)
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

    num, den = _ratio(agreement)
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


# --- Sybil suspicion -------------------------------------------------------------------------


def sybil_suspicion(trust: Mapping[int, float], activity: Mapping[int, int]) -> list[SignalResult]:
    """Flag accounts in the lowest endorsement-trust decile whose activity is above the median.

    Before: ``trust`` maps every account considered to its endorsement trust (finite, >= 0, as
    EigenTrust gives); ``activity`` maps accounts to a count of contributions (missing means 0;
    accounts absent from ``trust`` are ignored). Else ValueError.

    Ties: values equal after rounding to TRUST_TIE_DECIMALS are one value. An account is in the
    lowest decile when the number of accounts with trust at or below its own is at most
    ``floor(n / 10)``. A tie that straddles that cut is wholly outside the decile: when many
    accounts share the lowest value (new accounts nobody has endorsed yet), trust says nothing
    about which of them is lower, so none is singled out. Below 10 accounts there is no decile.
    Activity must be strictly above the median of all considered accounts.

    After: one result per account of ``trust``, in user order, ``score = 1 - at_or_below / n``
    (the share of accounts with strictly more trust; higher is more suspicious). Evidence:
    ``trust``, ``trust_percentile`` (the mid-rank percentile the trust page shows), ``at_or_below``,
    ``decile_size``, ``in_lowest_decile``, ``activity``, ``median_activity``.
    """
    users = sorted(trust)
    if not users:
        return []
    values = np.array([trust[user] for user in users], dtype=np.float64)
    if not bool(np.all(np.isfinite(values))) or bool(np.any(values < 0)):
        msg = "trust values must be finite and non-negative"
        raise ValueError(msg)
    acts = np.array([activity.get(user, 0) for user in users], dtype=np.int64)
    if bool(np.any(acts < 0)):
        msg = "activity counts must be non-negative"
        raise ValueError(msg)
    merged = np.round(values, TRUST_TIE_DECIMALS)
    n = merged.size
    at_or_below = np.searchsorted(np.sort(merged), merged, side="right")
    decile = math.floor(n * SYBIL_DECILE + 1e-9)
    in_decile = at_or_below <= decile
    median = float(np.median(acts))
    shown = percentiles(merged)
    return [
        SignalResult(
            user=user,
            kind=SYBIL,
            score=1.0 - int(at_or_below[i]) / n,
            flagged=bool(in_decile[i]) and int(acts[i]) > median,
            evidence={
                "trust": float(values[i]),
                "trust_percentile": float(shown[i]),
                "at_or_below": int(at_or_below[i]),
                "decile_size": decile,
                "in_lowest_decile": bool(in_decile[i]),
                "activity": int(acts[i]),
                "median_activity": median,
            },
        )
        for i, user in enumerate(users)
    ]


# --- Flags -----------------------------------------------------------------------------------


def _checked_trusts(values: Iterable[float]) -> np.ndarray:
    array = np.asarray(list(values), dtype=np.float64)
    if not bool(np.all(np.isfinite(array))) or bool(np.any(array < 0)):
        msg = "reporter trusts must be finite and non-negative"
        raise ValueError(msg)
    return array


def flag_weight(reporter_trusts: Sequence[float], *, population: int) -> float:
    """Return the weight of flags from reporters with these endorsement trusts.

    Before: one trust per distinct reporter, each finite and >= 0; ``population >= 1`` is the
    number of accounts the trust was computed over. Else ValueError.

    After: ``Σ trust · population``. EigenTrust sums to 1, so an average account holds
    ``1 / population`` and its flag weighs exactly 1; the weight reads as "so many average
    accounts' flags", and a ring of accounts nobody trusts adds next to nothing.
    """
    if population < 1:
        msg = f"population must be >= 1, got {population}"
        raise ValueError(msg)
    return math.fsum(_checked_trusts(reporter_trusts).tolist()) * population


def flags(
    reports: Mapping[int, Sequence[float]],
    *,
    population: int,
    threshold: float = FLAG_THRESHOLD,
) -> list[SignalResult]:
    """Weigh the flags against each reported user by their reporters' endorsement trust.

    Before: ``reports`` maps a reported user to the trusts of its distinct reporters; the rest as
    for flag_weight. After: one result per reported user, in user order, ``score`` = the weight
    (in average-account flags), ``flagged`` when it reaches ``threshold`` (default
    FLAG_THRESHOLD = 3, up to a relative 1e-9 for rounding). Evidence: ``reports`` (count),
    ``weight``, ``reporter_weights`` (each reporter's weight, largest first, so one heavy reporter
    shows), ``threshold``, ``population``.
    """
    results: list[SignalResult] = []
    for user in sorted(reports):
        trusts = _checked_trusts(reports[user])
        weight = flag_weight(trusts.tolist(), population=population)
        results.append(
            SignalResult(
                user=user,
                kind=FLAGS,
                score=weight,
                flagged=weight >= threshold * (1.0 - _FLAG_RELATIVE_SLACK),
                evidence={
                    "reports": int(trusts.size),
                    "weight": weight,
                    "reporter_weights": sorted((trusts * population).tolist(), reverse=True),
                    "threshold": threshold,
                    "population": population,
                },
            )
        )
    return results
