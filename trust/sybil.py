"""The Sybil-region experiment of docs/design.md §5: how much endorsement trust a region of fakes
captures."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from trust.eigentrust import ALPHA, MAX_ITER, TOL, eigentrust, endorsement_matrix

__all__ = [
    "BITCOIN_OTC_ATTRIBUTION",
    "default_pretrusted",
    "load_signed_edges",
    "sybil_share",
    "sybil_table",
    "with_sybil_region",
]

BITCOIN_OTC_ATTRIBUTION = (
    'Bitcoin OTC trust network (Stanford SNAP, "soc-sign-bitcoin-otc"). S. Kumar, F. Spezzano, '
    'V.S. Subrahmanian, C. Faloutsos. "Edge Weight Prediction in Weighted Signed Networks." '
    'IEEE ICDM 2016; S. Kumar et al. "REV2: Fraudulent User Prediction in Rating Platforms." '
    "WSDM 2018. Distributed by the Stanford Network Analysis Project."
)

# The Bitcoin OTC sample shipped with the repository (see data/trust/README.md).
SAMPLE_GRAPH = Path(__file__).resolve().parents[1] / "data" / "trust" / "bitcoin-otc.csv"
SYBIL_SIZE = 500
PRETRUSTED_FRACTION = 0.01


def load_signed_edges(path: str | Path) -> tuple[int, np.ndarray, np.ndarray]:
    """Read a signed rating CSV and return its positive ratings as endorsements.

    Made for the Bitcoin OTC sample (/work/shared/data/trust/bitcoin-otc.csv) — Stanford SNAP
    "soc-sign-bitcoin-otc"; S. Kumar, F. Spezzano, V.S. Subrahmanian, C. Faloutsos, "Edge Weight
    Prediction in Weighted Signed Networks", IEEE ICDM 2016; S. Kumar et al., "REV2: Fraudulent
    User Prediction in Rating Platforms", WSDM 2018; distributed by the Stanford Network Analysis
    Project (see BITCOIN_OTC_ATTRIBUTION).

    Before: the file has one `SOURCE,TARGET,RATING,TIME` line per rating, integer ids and
    ratings, no header. After: `n` is the number of distinct ids in the file (users whose ratings
    are all negative or zero stay as nodes, with no endorsement), ids are renumbered 0..n-1 in
    ascending order of the original id, and (src[k], dst[k]) is one rating with RATING > 0, in file
    order.
    """
    table = np.loadtxt(path, delimiter=",", dtype=np.int64, usecols=(0, 1, 2), ndmin=2)
    ids, dense = np.unique(table[:, :2], return_inverse=True)
    dense = dense.reshape(-1, 2)
    positive = table[:, 2] > 0
    return int(ids.size), dense[positive, 0], dense[positive, 1]


def default_pretrusted(
    n: int, src: np.ndarray, dst: np.ndarray, *, fraction: float = PRETRUSTED_FRACTION
) -> np.ndarray:
    """Pick a stand-in for the users with a verified affiliation: the most-endorsed honest users.

    The sample graph records no affiliations. Verification, in practice, goes to established
    members, and the number of distinct people endorsing a user is the graph's plainest sign of
    being established; it is also deterministic (no seed to tune) and is computed on the honest
    graph before any Sybil is added, so an attack cannot buy its way in.

    Before: `src`/`dst` are endorsement arrays over nodes 0..n-1; 0 < fraction ≤ 1. After: the
    sorted indices of the max(1, round(fraction·n)) nodes with the highest in-degree (distinct
    endorsers, self-endorsements ignored), ties broken toward the lower index; empty when n = 0.
    """
    if not 0.0 < fraction <= 1.0:
        raise ValueError("fraction must lie in (0, 1]")
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    matrix, _ = endorsement_matrix(n, src, dst)
    in_degree = np.diff(matrix.indptr)
    count = max(1, round(fraction * n))
    return np.sort(np.argsort(-in_degree, kind="stable")[:count]).astype(np.int64)


def with_sybil_region(
    n: int,
    src: np.ndarray,
    dst: np.ndarray,
    *,
    sybil_size: int = SYBIL_SIZE,
    attack_edges: int,
    seed: int = 0,
) -> tuple[int, np.ndarray, np.ndarray]:
    """Add a Sybil region to the honest graph and return the combined graph.

    The attack: `sybil_size` new accounts, numbered n..n+sybil_size-1, each endorsing every other
    account of the region and no one outside it — the densest region, and one that hands none of
    the trust it captures back to the honest graph. `attack_edges` = k distinct honest users,
    drawn uniformly with `seed` (users the attacker has fooled or bought), each endorse one Sybil,
    the targets spread round-robin over the region (where an edge lands inside the region does
    not change the region's total). For a fixed seed the attackers for k are the first k of one
    random order of the honest users, so a larger k keeps the attackers of a smaller one.

    Before: 0 ≤ attack_edges ≤ n, sybil_size ≥ 1 (≥ 2 for the region to have internal
    endorsements). After: returns (n + sybil_size, src', dst'), the honest edges first, unchanged.
    """
    if sybil_size < 1:
        raise ValueError("sybil_size must be at least 1")
    if not 0 <= attack_edges <= n:
        raise ValueError("attack_edges must lie in 0..n (one per distinct honest user)")
    region = np.arange(n, n + sybil_size, dtype=np.int64)
    inner_src = np.repeat(region, sybil_size)
    inner_dst = np.tile(region, sybil_size)
    distinct = inner_src != inner_dst
    attackers = np.random.default_rng(seed).permutation(n)[:attack_edges].astype(np.int64)
    targets = n + np.arange(attack_edges, dtype=np.int64) % sybil_size
    all_src = np.concatenate((np.asarray(src, dtype=np.int64), inner_src[distinct], attackers))
    all_dst = np.concatenate((np.asarray(dst, dtype=np.int64), inner_dst[distinct], targets))
    return n + sybil_size, all_src, all_dst


def sybil_share(
    n: int,
    src: np.ndarray,
    dst: np.ndarray,
    *,
    sybil_size: int = SYBIL_SIZE,
    attack_edges: int = 10,
    seed: int = 0,
    pretrusted: np.ndarray | None = None,
    alpha: float = ALPHA,
    tol: float = TOL,
    max_iter: int = MAX_ITER,
) -> float:
    """Return the share of total EigenTrust that a Sybil region captures (docs/design.md §5, §9).

    Before: `src`/`dst` are the honest endorsements over nodes 0..n-1; `pretrusted` holds honest
    node indices (None means `default_pretrusted(n, src, dst)`); Sybils are never pre-trusted,
    since none has a verified affiliation. The region and its k = `attack_edges` attack edges are
    those of `with_sybil_region`.

    After: the result is Σ of the region's trust, in [0, 1]; it is 0 when k = 0. Since the region
    keeps everything it receives, at the fixed point it equals (1 - alpha)/alpha times the trust
    flowing in over the attack edges (Σ over attackers of t_i/outdeg_i) — set by k and by who the
    attackers are, not by the region's size.
    """
    if pretrusted is None:
        pretrusted = default_pretrusted(n, src, dst)
    total, all_src, all_dst = with_sybil_region(
        n, src, dst, sybil_size=sybil_size, attack_edges=attack_edges, seed=seed
    )
    result = eigentrust(
        total, all_src, all_dst, pretrusted=pretrusted, alpha=alpha, tol=tol, max_iter=max_iter
    )
    return float(result.trust[n:].sum())


def sybil_table(
    n: int,
    src: np.ndarray,
    dst: np.ndarray,
    ks: tuple[int, ...] = (1, 10, 100),
    *,
    sybil_size: int = SYBIL_SIZE,
    seed: int = 0,
    pretrusted: np.ndarray | None = None,
) -> list[tuple[int, float]]:
    """Return [(k, sybil_share with k attack edges)] for each k in `ks`, in order.

    Meant for the Bitcoin OTC sample (see `load_signed_edges` and BITCOIN_OTC_ATTRIBUTION for its
    source: Kumar et al., ICDM 2016 and WSDM 2018, via the Stanford Network Analysis Project).

    Before: as for `sybil_share`. After: one pair per k; all rows share the seed and the
    pre-trusted set (computed once), so the attackers of a smaller k are among those of a larger.
    """
    if pretrusted is None:
        pretrusted = default_pretrusted(n, src, dst)
    return [
        (
            k,
            sybil_share(
                n, src, dst, sybil_size=sybil_size, attack_edges=k, seed=seed, pretrusted=pretrusted
            ),
        )
        for k in ks
    ]
