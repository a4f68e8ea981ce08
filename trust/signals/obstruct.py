"""The obstruction signal: objecting against the grain, round after round, with repeated text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import sparse

from consensus.designation import smoothed_support
from trust.signals.facts import (
    CHUNK,
    OBSTRUCTION,
    POSITION_CODE,
    BallotFact,
    RoundFact,
    SignalResult,
    check_one_ballot_per_user_round,
    ratio,
    text_tokens,
)

_SUPPORT, _ACCEPT, _ABSTAIN, _OBJECT = range(4)  # codes of POSITIONS, in order
OBSTRUCTION_K_MIN = 5
OBSTRUCTION_SCORE_MIN = 0.5
REPEAT_JACCARD = 0.8


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
        for token in text_tokens(texts[i]):
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
    num, den = ratio(REPEAT_JACCARD)
    least_overlap = -(-num * size // den)
    prefix = rank < (size - least_overlap + 1)[owner]
    ones = np.ones(owner.size, dtype=np.int64)
    full = sparse.csr_array((ones, (owner, token)), shape=(n_rows, width))
    head = sparse.csr_array((ones[prefix], (owner[prefix], token[prefix])), shape=(n_rows, width))
    query_head, pool_head = head[:n_queries], head[n_queries:].T.tocsr()
    when = closed[everyone]

    step = max(1, CHUNK // pool.size)
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
    """Compute the obstruction signal of docs/design.md §6 for every user who voted in one of
    ``rounds``.

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
    check_one_ballot_per_user_round(u, r, n_rounds)
    group_of: dict[str, int] = {}
    g = np.fromiter(
        (group_of.setdefault(b.group, len(group_of)) for b in kept), dtype=np.int64, count=len(kept)
    )
    pos = np.fromiter((POSITION_CODE[b.position] for b in kept), dtype=np.int8, count=len(kept))
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
