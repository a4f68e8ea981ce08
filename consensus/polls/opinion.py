"""The opinion map of a statement poll (docs/design.md §7): pure numpy, scipy and scikit-learn."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import linalg, sparse
from scipy.sparse import linalg as sparse_linalg
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

MIN_VOTES = 7  # participants in the map have at least min(MIN_VOTES, statements) votes
K_RANGE = range(2, 6)  # k-means k in 2..5, chosen by silhouette
SEED = 20140101  # every random choice is seeded: the same votes give the same map
EXACT_PCA_MAX = 400  # up to this many statements (or participants) PCA is an exact eigensolve
SILHOUETTE_SAMPLE = 2500  # silhouette is O(n²): above this many points it is taken on a sample
PARALLEL_FROM = 5000  # points from which k-means and silhouette use every core
Z90 = 1.2816  # the one-sided 90 % normal quantile, as in Pol.is
CONSENSUS_TOP = 5
REPNESS_TOP = 5


@dataclass(frozen=True)
class VoteData:
    """Every vote row of a poll, oldest first (a later row for the same pair supersedes).

    `participants` and `statements` are the ids; `rows_participant`/`rows_statement` index into
    them; `rows_vote` is +1 agree, −1 disagree, 0 pass. `stakeholder_groups[i]` is participant
    i's declared group ("" for none, e.g. imported). `in_map[j]` is False for a statement left
    out of the computation (moderated out, or waiting for moderation).
    """

    participants: np.ndarray
    statements: np.ndarray
    rows_participant: np.ndarray
    rows_statement: np.ndarray
    rows_vote: np.ndarray
    stakeholder_groups: tuple[str, ...] = ()
    in_map: np.ndarray | None = None


@dataclass(frozen=True)
class StatementFigures:
    """Per statement (index into VoteData.statements): counts over every participant's latest
    vote, and the consensus measures."""

    agrees: np.ndarray
    disagrees: np.ndarray
    votes: np.ndarray
    gic_opinion: np.ndarray  # nan when the map has no groups
    gic_stakeholder: np.ndarray  # nan when no voter has a stakeholder group
    pa: np.ndarray
    pat: np.ndarray
    consensus: np.ndarray  # bool: among the top CONSENSUS_TOP by pa·pat that pass both tests


@dataclass(frozen=True)
class Repness:
    """A statement a group agrees (`direction` +1) or disagrees (−1) with markedly more than
    the rest of the map."""

    statement: int
    direction: int
    share: float  # the group's pa (or pd)
    ratio: float  # share in the group / share in the rest
    metric: float


@dataclass(frozen=True)
class OpinionMap:
    """The result: the participants in the map (indices into VoteData.participants), their
    points and groups (0..k−1, largest group first), per-group counts and the statement
    figures."""

    members: np.ndarray
    x: np.ndarray
    y: np.ndarray
    group: np.ndarray
    k: int
    group_agrees: np.ndarray  # k × statements
    group_disagrees: np.ndarray
    group_votes: np.ndarray
    statements: StatementFigures
    repness: tuple[tuple[Repness, ...], ...] = field(default=())
    stakeholder_group_names: tuple[str, ...] = ()


def latest_votes(data: VoteData) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(participant, statement, vote) of each pair's last row, ordered by pair."""
    n_statements = len(data.statements)
    key = data.rows_participant.astype(np.int64) * n_statements + data.rows_statement
    # np.unique keeps the first occurrence: reversed, that is the latest row.
    unique_keys, first = np.unique(key[::-1], return_index=True)
    votes = data.rows_vote[::-1][first].astype(np.int8)
    return unique_keys // n_statements, unique_keys % n_statements, votes


def _counts(
    labels: np.ndarray, n_labels: int, statement: np.ndarray, vote: np.ndarray, n_statements: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Agrees, disagrees and votes per (label, statement) for votes whose label is ≥ 0."""
    keep = labels >= 0
    cell = labels[keep].astype(np.int64) * n_statements + statement[keep]
    size = n_labels * n_statements
    shape = (n_labels, n_statements)
    v = vote[keep]
    agrees = np.bincount(cell, weights=(v == 1), minlength=size).reshape(shape)
    disagrees = np.bincount(cell, weights=(v == -1), minlength=size).reshape(shape)
    votes = np.bincount(cell, minlength=size).reshape(shape).astype(np.float64)
    return agrees, disagrees, votes


def gic(agrees: np.ndarray, votes: np.ndarray) -> np.ndarray:
    """Group-informed consensus per statement: Π_g (A_g + 1)/(S_g + 2) over the rows (groups)."""
    if agrees.shape[0] == 0:
        return np.full(agrees.shape[1], np.nan)
    return np.prod((agrees + 1.0) / (votes + 2.0), axis=0)


def proportion_test(successes: np.ndarray, trials: np.ndarray) -> np.ndarray:
    """Pol.is's one-proportion test: 2·sqrt(n + 1)·((s + 1)/(n + 1) − 0.5)."""
    return 2.0 * np.sqrt(trials + 1.0) * ((successes + 1.0) / (trials + 1.0) - 0.5)


def two_proportion_test(
    s_in: np.ndarray, n_in: np.ndarray, s_out: np.ndarray, n_out: np.ndarray
) -> np.ndarray:
    """Pol.is's two-proportion z-test with add-one smoothing (0 where the pooled share is 1)."""
    s1, n1, s2, n2 = s_in + 1.0, n_in + 1.0, s_out + 1.0, n_out + 1.0
    pooled = (s1 + s2) / (n1 + n2)
    spread = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s1 / n1 - s2 / n2) / spread
    return np.where(spread > 0, z, 0.0)


def consensus_figures(
    agrees: np.ndarray, votes: np.ndarray, eligible: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """pa, pat and the consensus set: pa > 0.5 and pat > Z90, top CONSENSUS_TOP by pa·pat."""
    pa = (1.0 + agrees) / (2.0 + votes)
    pat = proportion_test(agrees, votes)
    passing = eligible & (pa > 0.5) & (pat > Z90)
    chosen = np.zeros(len(pa), dtype=bool)
    candidates = np.flatnonzero(passing)
    # Ties by statement order, so the set is reproducible.
    order = candidates[np.lexsort((candidates, -(pa * pat)[candidates]))]
    chosen[order[:CONSENSUS_TOP]] = True
    return pa, pat, chosen


def _project(
    participant: np.ndarray, statement: np.ndarray, vote: np.ndarray, n_rows: int, n_cols: int
) -> np.ndarray:
    """PCA to 2 components of the column-mean-imputed matrix, scaled for sparsity.

    Imputing a missing vote with its column's mean and then centring the column makes that cell
    exactly 0, so the centred matrix is as sparse as the votes: PCA is the top eigenvectors of
    its m × m scatter matrix, without ever building the dense n × m matrix.
    """
    col_votes = np.bincount(statement, minlength=n_cols)
    col_sum = np.bincount(statement, weights=vote, minlength=n_cols)
    mean = np.divide(col_sum, col_votes, out=np.zeros(n_cols), where=col_votes > 0)
    centred = sparse.csr_matrix(
        (vote - mean[statement], (participant, statement)), shape=(n_rows, n_cols)
    )
    if min(n_rows, n_cols) > EXACT_PCA_MAX:
        # Large polls: the two leading right singular vectors by ARPACK on the sparse matrix,
        # from a fixed start vector (reproducible), never forming the m × m scatter matrix.
        _, values, vt = sparse_linalg.svds(centred, k=2, v0=np.ones(min(n_rows, n_cols)), tol=1e-10)
        components = vt[np.argsort(-values)].T
    else:
        scatter = (centred.T @ centred).toarray()
        _, vectors = linalg.eigh(scatter, subset_by_index=[max(n_cols - 2, 0), n_cols - 1])
        components = vectors[:, ::-1]
    if components.shape[1] < 2:
        components = np.hstack([components, np.zeros((n_cols, 2 - components.shape[1]))])
    # The sign of an eigenvector is arbitrary: make each one's largest loading positive.
    signs = np.sign(components[np.abs(components).argmax(axis=0), [0, 1]])
    components = components * np.where(signs == 0, 1.0, signs)
    points = np.asarray(centred @ components)
    # Pol.is scales each point by sqrt(statements / own votes), so that a participant with few
    # votes is not pulled to the centre by the imputed means.
    row_votes = np.bincount(participant, minlength=n_rows)
    return points * np.sqrt(n_cols / np.maximum(row_votes, 1))[:, None]


def _first_distinct(points: np.ndarray, k: int) -> np.ndarray:
    """The first k distinct points in (x, y) order: red-dwarf's "polis" k-means start."""
    return np.unique(points, axis=0)[:k]


def cluster(points: np.ndarray) -> np.ndarray:
    """Opinion groups: k-means for k in 2..5, the k with the best silhouette; labels 0..k−1 by
    decreasing size (then by first member). Fewer than 2 distinct points or 3 points: one group.

    As in red-dwarf's Pol.is pipeline, k-means starts from the first k distinct points in (x, y)
    order rather than from random ones: on the continuum a vote map often is, different starts
    end in different local optima; this start makes the groups reproducible, independent of the
    order of participants, and comparable with the peer's.
    """
    n = len(points)
    # A small map clusters faster on one thread: starting OpenMP's and BLAS's threads for a
    # thousand 2-d points costs more than the work (and makes its time vary run to run).
    with threadpool_limits(limits=1 if n < PARALLEL_FROM else None):
        return _relabel(_best_k_means(points))


def _best_k_means(points: np.ndarray) -> np.ndarray:
    n = len(points)
    distinct = len(np.unique(points, axis=0)) if n else 0
    best_labels = np.zeros(n, dtype=np.int64)
    best_score = -math.inf
    sample = SILHOUETTE_SAMPLE if n > SILHOUETTE_SAMPLE else None
    for k in K_RANGE:
        if k > distinct or k >= n:  # silhouette needs 2 ≤ k ≤ n − 1
            break
        start = _first_distinct(points, k)
        labels = KMeans(n_clusters=k, init=start, n_init=1).fit_predict(points)
        if len(np.unique(labels)) < 2:
            continue
        score = float(silhouette_score(points, labels, sample_size=sample, random_state=SEED))
        if score > best_score + 1e-12:
            best_score, best_labels = score, labels
    return best_labels


def _relabel(labels: np.ndarray) -> np.ndarray:
    """Group ids by decreasing size, ties by the first member, so ids never depend on k-means."""
    if len(labels) == 0:
        return labels.astype(np.int64)
    found, first, sizes = np.unique(labels, return_index=True, return_counts=True)
    order = found[np.lexsort((first, -sizes))]
    mapping = np.empty(found.max() + 1, dtype=np.int64)
    mapping[order] = np.arange(len(order))
    return mapping[labels]


def representative(
    agrees: np.ndarray, disagrees: np.ndarray, votes: np.ndarray, eligible: np.ndarray
) -> tuple[tuple[Repness, ...], ...]:
    """Each group's representative statements (Pol.is "repness"): the group's share agreeing
    (or disagreeing) is a majority, significant (one-proportion test > Z90) and significantly
    above the rest's (two-proportion test > Z90); ranked by ratio·test·share·test, top
    REPNESS_TOP, the stronger direction per statement."""
    result = []
    all_agrees, all_disagrees, all_votes = agrees.sum(0), disagrees.sum(0), votes.sum(0)
    for g in range(agrees.shape[0]):
        picks: dict[int, Repness] = {}
        for direction, hits, all_hits in (
            (1, agrees[g], all_agrees),
            (-1, disagrees[g], all_disagrees),
        ):
            n_in, s_out, n_out = votes[g], all_hits - hits, all_votes - votes[g]
            share_in = (1.0 + hits) / (2.0 + n_in)
            share_out = (1.0 + s_out) / (2.0 + n_out)
            ratio = share_in / share_out
            test_in = proportion_test(hits, n_in)
            test_ratio = two_proportion_test(hits, n_in, s_out, n_out)
            metric = ratio * test_ratio * share_in * test_in
            ok = eligible & (share_in > 0.5) & (test_in > Z90) & (test_ratio > Z90)
            for j in np.flatnonzero(ok):
                candidate = Repness(
                    int(j), direction, float(share_in[j]), float(ratio[j]), float(metric[j])
                )
                if int(j) not in picks or picks[int(j)].metric < candidate.metric:
                    picks[int(j)] = candidate
        ranked = sorted(picks.values(), key=lambda r: (-r.metric, r.statement))
        result.append(tuple(ranked[:REPNESS_TOP]))
    return tuple(result)


def compute(data: VoteData) -> OpinionMap:
    """The whole computation of docs/design.md §7.

    Before: the rows are in the order they were cast. After: the map holds the participants with
    at least min(MIN_VOTES, statements in the map) latest votes on statements in the map; the
    same data and seed always give the same map.
    """
    n_participants, n_statements = len(data.participants), len(data.statements)
    in_map = np.ones(n_statements, dtype=bool) if data.in_map is None else data.in_map
    p, s, v = latest_votes(data)
    counted = in_map[s]
    ps, ss, vs = p[counted], s[counted], v[counted]
    per_participant = np.bincount(ps, minlength=n_participants)
    threshold = min(MIN_VOTES, int(in_map.sum()))
    members = np.flatnonzero(per_participant >= max(threshold, 1))
    columns = np.flatnonzero(in_map)
    col_of = np.full(n_statements, -1, dtype=np.int64)
    col_of[columns] = np.arange(len(columns))
    voters = np.flatnonzero(per_participant > 0)
    if len(members) and len(columns):
        # The axes come from every voter's latest votes (as Pol.is and red-dwarf do), so that a
        # light voter still informs the statements' means; only members are placed and grouped.
        row_of_voter = np.full(n_participants, -1, dtype=np.int64)
        row_of_voter[voters] = np.arange(len(voters))
        all_points = _project(
            row_of_voter[ps], col_of[ss], vs.astype(np.float64), len(voters), len(columns)
        )
        points = all_points[row_of_voter[members]]
        labels = cluster(points)
    else:
        points, labels = np.zeros((len(members), 2)), np.zeros(len(members), dtype=np.int64)
    k = int(labels.max()) + 1 if len(labels) else 0
    group_of = np.full(n_participants, -1, dtype=np.int64)
    group_of[members] = labels
    group_agrees, group_disagrees, group_votes = _counts(group_of[p], k, s, v, n_statements)

    names = tuple(sorted({g for g in data.stakeholder_groups if g}))
    if names:
        index = {name: i for i, name in enumerate(names)}
        stake_of = np.array([index.get(g, -1) for g in data.stakeholder_groups], dtype=np.int64)
        stake_agrees, _, stake_votes = _counts(stake_of[p], len(names), s, v, n_statements)
        gic_stakeholder = gic(stake_agrees, stake_votes)
    else:
        gic_stakeholder = np.full(n_statements, np.nan)
    everyone = np.zeros(n_participants, dtype=np.int64)
    agrees, disagrees, votes = (row[0] for row in _counts(everyone[p], 1, s, v, n_statements))
    pa, pat, chosen = consensus_figures(agrees, votes, in_map)
    return OpinionMap(
        members=members,
        x=points[:, 0],
        y=points[:, 1],
        group=labels,
        k=k,
        group_agrees=group_agrees,
        group_disagrees=group_disagrees,
        group_votes=group_votes,
        statements=StatementFigures(
            agrees=agrees,
            disagrees=disagrees,
            votes=votes,
            gic_opinion=gic(group_agrees, group_votes) if k else np.full(n_statements, np.nan),
            gic_stakeholder=gic_stakeholder,
            pa=pa,
            pat=pat,
            consensus=chosen,
        ),
        repness=representative(group_agrees, group_disagrees, group_votes, in_map),
        stakeholder_group_names=names,
    )
