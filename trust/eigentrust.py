"""Endorsement trust (EigenTrust), its percentile display and the commitment record (docs/design.md
§5)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

__all__ = [
    "EigenTrustResult",
    "commitment_record",
    "eigentrust",
    "endorsement_matrix",
    "percentiles",
    "pretrust_indices",
]

ALPHA = 0.15
TOL = 1e-10
MAX_ITER = 200


@dataclass(frozen=True)
class EigenTrustResult:
    """The outcome of one EigenTrust solve.

    `trust` is a float64 vector of length n, non-negative, summing to 1 (up to rounding) when
    n ≥ 1; `iterations` is the number of updates made; `delta` is the L1 change of the last update
    (`inf` if none was made); `converged` is `delta < tol`.
    """

    trust: np.ndarray
    iterations: int
    delta: float
    converged: bool


def _sorted_distinct(keys: np.ndarray) -> np.ndarray:
    """Return the distinct values of the 1-D array `keys`, ascending.

    A plain sort plus a neighbour mask, because np.unique (hash-based in numpy ≥ 2.3) is many
    times slower on a million int64 keys.
    """
    ordered = np.sort(keys)
    if ordered.size < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def _as_index_array(name: str, values: np.ndarray, n: int) -> np.ndarray:
    """Return `values` as a 1-D int64 array, having checked every entry lies in 0..n-1."""
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if arr.size == 0:
        return arr.astype(np.int64)
    if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must hold integer node indices, not {arr.dtype}")
    if int(arr.min()) < 0 or int(arr.max()) >= n:
        raise ValueError(f"{name} holds a node index outside 0..{n - 1}")
    return arr.astype(np.int64, copy=False)


def pretrust_indices(n: int, pretrusted: np.ndarray | None) -> np.ndarray | None:
    """Return the sorted distinct pre-trusted node indices, or None meaning "all n nodes".

    Before: `pretrusted` is None or a 1-D integer array of node indices in 0..n-1 (duplicates
    allowed). After: None when `pretrusted` is None or empty (the spec's "uniform over all users if
    there are none"), otherwise a non-empty sorted int64 array without duplicates.
    """
    if pretrusted is None:
        return None
    idx = _as_index_array("pretrusted", pretrusted, n)
    if idx.size == 0:
        return None
    return _sorted_distinct(idx)


def endorsement_matrix(
    n: int, src: np.ndarray, dst: np.ndarray, *, scale: float = 1.0
) -> tuple[sparse.csr_array, np.ndarray]:
    """Build `scale·Cᵀ` in CSR form and the mask of dangling nodes, without a loop over edges.

    Before: `src` and `dst` are equal-length 1-D integer arrays of node indices in 0..n-1; edge k
    says "src[k] endorses dst[k]". After: the matrix M has M[j, i] = scale/outdeg(i) for every
    distinct endorsement i→j with i ≠ j — duplicate edges count once and self-loops are dropped, so
    outdeg(i) is the number of distinct other nodes i endorses; column i sums to `scale` unless i
    is dangling (endorses no one else), in which case it is zero and `dangling[i]` is True.
    """
    if n < 0:
        raise ValueError("n must be non-negative")
    src_arr = _as_index_array("src", src, n)
    dst_arr = _as_index_array("dst", dst, n)
    if src_arr.shape != dst_arr.shape:
        raise ValueError("src and dst must have the same length")
    keep = src_arr != dst_arr
    # One key per edge, row-major in Cᵀ (row = endorsed, column = endorser): once sorted and
    # deduplicated the entries are already in CSR order, so scipy need not sort them again.
    keys = _sorted_distinct(dst_arr[keep] * np.int64(n) + src_arr[keep])
    rows = keys // n
    cols = keys - rows * n
    outdeg = np.bincount(cols, minlength=n)
    dangling = outdeg == 0
    weight = np.zeros(n, dtype=np.float64)
    np.divide(scale, outdeg, out=weight, where=~dangling)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    index_dtype = np.int32 if max(n, keys.size) < np.iinfo(np.int32).max else np.int64
    matrix = sparse.csr_array(
        (weight[cols], cols.astype(index_dtype), indptr.astype(index_dtype)), shape=(n, n)
    )
    return matrix, dangling


def eigentrust(
    n: int,
    src: np.ndarray,
    dst: np.ndarray,
    *,
    pretrusted: np.ndarray | None = None,
    alpha: float = ALPHA,
    tol: float = TOL,
    max_iter: int = MAX_ITER,
) -> EigenTrustResult:
    """Compute EigenTrust over the endorsement graph of nodes 0..n-1 (docs/design.md §5).

    Before: edge k is "src[k] endorses dst[k]" (integer arrays of equal length, indices in
    0..n-1); `pretrusted` is None or an integer array of node indices (not a boolean mask);
    0 ≤ alpha ≤ 1, tol > 0, max_iter ≥ 0.

    The walk: c_ij = 1/outdeg(i) over the distinct endorsements i→j with j ≠ i (duplicate edges
    count once, self-loops are ignored); p is uniform over the distinct pre-trusted nodes, or over
    all nodes when `pretrusted` is None or empty; a node that endorses no one else distributes like
    p. Starting from t = p, t ← (1 - alpha)·Cᵀt + alpha·p until the L1 change is below `tol` or
    `max_iter` updates have been made.

    After: `trust` has length n, is non-negative and sums to 1 (up to rounding); for n = 0 it is
    empty. A node that is neither pre-trusted nor endorsed by anyone has trust 0.
    """
    if not 0.0 <= alpha <= 1.0:
        raise ValueError("alpha must lie in [0, 1]")
    if tol <= 0.0:
        raise ValueError("tol must be positive")
    if max_iter < 0:
        raise ValueError("max_iter must be non-negative")
    matrix, _ = endorsement_matrix(n, src, dst, scale=1.0 - alpha)
    if n == 0:
        return EigenTrustResult(np.zeros(0), iterations=0, delta=0.0, converged=True)
    idx = pretrust_indices(n, pretrusted)
    share = 1.0 / (n if idx is None else idx.size)

    t = np.full(n, share) if idx is None else np.zeros(n)
    if idx is not None:
        t[idx] = share
    delta = float("inf")
    iterations = 0
    while iterations < max_iter:
        nxt = matrix @ t
        # Whatever Cᵀ does not pass on — the teleport share alpha and the dangling nodes' mass —
        # goes to p. Taking it as 1 - Σ(next) also cancels the rounding drift of Σ t.
        leftover = (1.0 - float(nxt.sum())) * share
        if idx is None:
            nxt += leftover
        else:
            nxt[idx] += leftover
        np.subtract(nxt, t, out=t)
        np.abs(t, out=t)
        delta = float(t.sum())
        t = nxt
        iterations += 1
        if delta < tol:
            break
    return EigenTrustResult(trust=t, iterations=iterations, delta=delta, converged=delta < tol)


def percentiles(trust: np.ndarray) -> np.ndarray:
    """Return each node's percentile rank, 0..100, by mid-rank.

    Before: `trust` is a 1-D array of finite values. After: node i gets
    100 · (#{j: t_j < t_i} + (#{j ≠ i: t_j = t_i}) / 2) / (n - 1), so the unique lowest is 0, the
    unique highest is 100, values compare exactly (equal values share one percentile; round first
    to merge values that differ only by solver tolerance), and a lone node or an all-equal vector
    gets 50. The result is float64 of the same length (empty for empty input).
    """
    values = np.asarray(trust, dtype=np.float64)
    if values.ndim != 1:
        raise ValueError("trust must be one-dimensional")
    n = values.size
    if n == 0:
        return np.zeros(0)
    if n == 1:
        return np.full(1, 50.0)
    ordered = np.sort(values)
    below = np.searchsorted(ordered, values, side="left")
    at_or_below = np.searchsorted(ordered, values, side="right")
    return 100.0 * (below + at_or_below - 1) / (2.0 * (n - 1))


def commitment_record(weights: np.ndarray, values: np.ndarray) -> float:
    """Return the commitment record (Σ w·value + 1) / (Σ w + 2) (docs/design.md §5).

    Before: `weights` (each attester's endorsement trust, ≥ 0) and `values` (kept = 1.0,
    partly = 0.5, broken = 0.0) are equal-length 1-D arrays. After: the result lies in [0, 1];
    with no attestations (or only zero weights) it is 1/2, and it moves toward the weighted mean of
    the values as the total weight grows.
    """
    w = np.asarray(weights, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    if w.ndim != 1 or w.shape != v.shape:
        raise ValueError("weights and values must be 1-D arrays of equal length")
    if not np.all(np.isfinite(w) & (w >= 0.0)):
        raise ValueError("weights must be finite and non-negative")
    if not np.all((v >= 0.0) & (v <= 1.0)):
        raise ValueError("values must lie in [0, 1]")
    return (float(w @ v) + 1.0) / (float(w.sum()) + 2.0)
