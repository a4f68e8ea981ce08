"""Benchmark: the opinion map (docs/design.md §7, §9) against bare numpy + scikit-learn on the
same matrix, against the peer red-dwarf on the same votes, and on a 20,000 × 1,000 poll.

`python -m bench opinion_map opinion_map_vs_reddwarf opinion_map_synthetic` runs these alone.
The samples are the Pol.is conversations in data/polis/. red-dwarf comes from the `bench` extra
(`make bench` installs it; `make test` does not).
"""

from __future__ import annotations

import csv
import time
import tracemalloc
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score, silhouette_score

from bench.runner import Figure, best_of_interleaved, check, info, timing
from consensus.polls import opinion

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "polis"
TARGET = 1.5
RUNS = 7
ARI_MIN = 0.9
SYNTHETIC = (20_000, 1_000, 100)  # participants, statements, votes each: 2,000,000 votes
SYNTHETIC_SECONDS = 30.0


def load_sample(name: str) -> opinion.VoteData:
    """A Pol.is export as vote rows in the order cast; moderated-out comments out of the map."""
    folder = SAMPLES / name
    with (folder / "votes.csv").open(encoding="utf-8") as handle:
        rows = [(int(r["timestamp"]), i, r) for i, r in enumerate(csv.DictReader(handle))]
    rows.sort(key=lambda item: item[:2])
    with (folder / "comments.csv").open(encoding="utf-8") as handle:
        comments = {int(r["comment-id"]): int(r["moderated"]) for r in csv.DictReader(handle)}
    statements = np.array(sorted(comments))
    voters = np.array(sorted({int(r["voter-id"]) for _, _, r in rows}))
    return opinion.VoteData(
        participants=voters,
        statements=statements,
        rows_participant=np.searchsorted(voters, [int(r["voter-id"]) for _, _, r in rows]),
        rows_statement=np.searchsorted(statements, [int(r["comment-id"]) for _, _, r in rows]),
        rows_vote=np.array([int(r["vote"]) for _, _, r in rows]),
        in_map=np.array([comments[s] != -1 for s in statements]),
    )


def latest_matrix(data: opinion.VoteData) -> np.ndarray:
    """The dense latest-vote matrix (NaN: not voted) over the statements in the map."""
    matrix = np.full((len(data.participants), len(data.statements)), np.nan)
    matrix[data.rows_participant, data.rows_statement] = data.rows_vote  # later rows win
    assert data.in_map is not None
    return matrix[:, data.in_map]


def bare(matrix: np.ndarray) -> np.ndarray:
    """The reference: the same steps written directly with numpy and scikit-learn — column-mean
    imputation, PCA, Pol.is's sparsity scaling, k-means for k in 2..5 from the same start, the
    best silhouette. Returns the labels of the participants with enough votes."""
    voted = ~np.isnan(matrix)
    counts = voted.sum(axis=1)
    voters = counts > 0
    rows, row_counts = matrix[voters], counts[voters]
    filled = np.where(np.isnan(rows), np.nanmean(rows, axis=0), rows)
    filled = np.nan_to_num(filled)
    points = PCA(n_components=2).fit_transform(filled)
    points *= np.sqrt(matrix.shape[1] / row_counts)[:, None]
    points = points[row_counts >= min(opinion.MIN_VOTES, matrix.shape[1])]
    best, best_score = np.zeros(len(points), dtype=int), -np.inf
    for k in opinion.K_RANGE:
        start = np.unique(points, axis=0)[:k]
        labels = KMeans(n_clusters=k, init=start, n_init=1).fit_predict(points)
        score = silhouette_score(points, labels)
        if score > best_score:
            best, best_score = labels, score
    return best


def opinion_map_figures() -> list[Figure]:
    """The vTaiwan conversation: the whole computation against the bare reference."""
    data = load_sample("vtaiwan.uberx")
    matrix = latest_matrix(data)
    opinion.compute(data)  # warm up both (imports, thread pools)
    bare(matrix)
    (product_s, product), (bare_s, labels) = best_of_interleaved(
        RUNS, lambda: opinion.compute(data), lambda: bare(matrix)
    )
    assert isinstance(product, opinion.OpinionMap)
    ari = adjusted_rand_score(product.group, labels)
    n_p, n_s = matrix.shape
    return [
        info(
            "opinion map: vTaiwan sample",
            f"{n_p:,} × {len(data.statements)} ({n_s} in the map), "
            f"{len(data.rows_vote):,} vote rows",
        ),
        timing(
            "opinion map (vTaiwan) vs bare numpy + scikit-learn",
            product_s,
            bare_s,
            max_ratio=TARGET,
            key="opinion_map",
            same_answer=ari >= 0.999,
            reference="bare numpy + scikit-learn",
        ),
        info("  groups agree with the reference (ARI)", f"{ari:.3f}, k = {product.k}"),
    ]


def _reddwarf_votes(data: opinion.VoteData) -> list[dict[str, int]]:
    """Each participant's latest vote on each statement of the map, as red-dwarf takes them."""
    p, s, v = opinion.latest_votes(data)
    assert data.in_map is not None
    keep = data.in_map[s]
    return [
        {
            "participant_id": int(data.participants[i]),
            "statement_id": int(data.statements[j]),
            "vote": int(x),
            "modified": 0,
        }
        for i, j, x in zip(p[keep], s[keep], v[keep], strict=True)
    ]


def reddwarf_figures() -> list[Figure]:
    """Both samples: Footing faster than red-dwarf, the same participants clustered, ARI ≥ 0.9."""
    try:
        from reddwarf.implementations.polis import run_pipeline
    except ImportError:
        return [
            check(
                "opinion map vs red-dwarf",
                ok=False,
                detail="red-dwarf is not installed (pip install -e '.[bench]')",
            )
        ]
    figures: list[Figure] = []
    for name in ("vtaiwan.uberx", "15-per-hour-seattle"):
        data = load_sample(name)
        votes = _reddwarf_votes(data)
        opinion.compute(data)
        run_pipeline(votes=votes, random_state=0)
        (ours_s, ours), (theirs_s, theirs) = best_of_interleaved(
            3,
            lambda data=data: opinion.compute(data),  # type: ignore[misc]
            lambda votes=votes: run_pipeline(votes=votes, random_state=0),  # type: ignore[misc]
        )
        assert isinstance(ours, opinion.OpinionMap)
        frame = theirs.participants_df
        clustered = frame[frame["to_cluster"]]
        their_groups = {int(i): int(g) for i, g in clustered["cluster_id"].items()}
        our_groups = {
            int(data.participants[m]): int(g) for m, g in zip(ours.members, ours.group, strict=True)
        }
        same_set = set(their_groups) == set(our_groups)
        common = sorted(set(their_groups) & set(our_groups))
        ari = adjusted_rand_score(
            [our_groups[i] for i in common], [their_groups[i] for i in common]
        )
        figures += [
            timing(
                f"opinion map ({name}) vs red-dwarf 0.4.0",
                ours_s,
                theirs_s,
                max_ratio=1.0,
                key="opinion_map_vs_reddwarf"
                if name == "vtaiwan.uberx"
                else f"opinion_map_vs_reddwarf_{name}",
                same_answer=same_set and ari >= ARI_MIN,
                reference="red-dwarf run_pipeline",
            ),
            info(
                "  same participants clustered; groups agree (ARI)",
                f"{'yes' if same_set else 'NO'} ({len(our_groups):,}); ARI {ari:.3f} (≥ {ARI_MIN})",
            ),
        ]
    return figures


def synthetic(seed: int = 7) -> opinion.VoteData:
    """A poll of three camps: each participant votes on a random 100 of 1,000 statements, with
    their camp's view on it 70 % of the time, the opposite 15 %, a pass 15 %."""
    n_p, n_s, each = SYNTHETIC
    rng = np.random.default_rng(seed)
    camps = rng.integers(0, 3, n_p)
    views = rng.choice([-1, 1], size=(3, n_s))
    participant = np.repeat(np.arange(n_p), each)
    statement = np.concatenate([rng.choice(n_s, each, replace=False) for _ in range(n_p)])
    view = views[camps[participant], statement]
    roll = rng.random(len(participant))
    vote = np.where(roll < 0.7, view, np.where(roll < 0.85, -view, 0))
    order = rng.permutation(len(vote))
    return opinion.VoteData(
        participants=np.arange(n_p),
        statements=np.arange(n_s),
        rows_participant=participant[order],
        rows_statement=statement[order],
        rows_vote=vote[order],
        stakeholder_groups=tuple(
            ("government", "academia", "civil_society", "")[i % 4] for i in range(n_p)
        ),
    )


def synthetic_figures() -> list[Figure]:
    data = synthetic()
    start = time.perf_counter()
    result = opinion.compute(data)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    opinion.compute(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    n_p, n_s, _each = SYNTHETIC
    return [
        Figure(
            name=f"opinion map of a {n_p:,} × {n_s:,} poll ({len(data.rows_vote):,} votes)",
            measured=f"{seconds:.2f} s",
            limit=f"{SYNTHETIC_SECONDS:.0f} s",
            ratio=seconds / SYNTHETIC_SECONDS,
            passed=seconds <= SYNTHETIC_SECONDS and result.k >= 2,
            key="opinion_map_synthetic",
            value=seconds,
            unit="s",
            limit_value=SYNTHETIC_SECONDS,
            target=f"<= {SYNTHETIC_SECONDS:.0f} s",
        ),
        info("  memory the computation allocated at its peak", f"{peak / 2**20:,.0f} MiB"),
        info(
            "  groups found",
            f"{result.k} (the data has 3 camps); {len(result.members):,} in the map",
        ),
    ]
