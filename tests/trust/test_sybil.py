"""Tests of the Sybil-region experiment, on synthetic graphs and on the Bitcoin OTC sample."""

# The sample is the Bitcoin OTC trust network (Stanford SNAP, "soc-sign-bitcoin-otc"):
# S. Kumar, F. Spezzano, V.S. Subrahmanian, C. Faloutsos. "Edge Weight Prediction in Weighted
# Signed Networks." IEEE ICDM 2016; S. Kumar et al. "REV2: Fraudulent User Prediction in Rating
# Platforms." WSDM 2018. Distributed by the Stanford Network Analysis Project.

from __future__ import annotations

import csv

import numpy as np
import pytest

from trust.eigentrust import ALPHA, eigentrust, endorsement_matrix
from trust.sybil import (
    BITCOIN_OTC_ATTRIBUTION,
    SAMPLE_GRAPH,
    default_pretrusted,
    load_signed_edges,
    sybil_share,
    sybil_table,
    with_sybil_region,
)

SAMPLE = SAMPLE_GRAPH

Graph = tuple[int, np.ndarray, np.ndarray]


@pytest.fixture(scope="module")
def otc() -> Graph:
    return load_signed_edges(SAMPLE)


def ring_graph(n: int) -> Graph:
    """Each user endorses the next two: every node has in- and out-degree 2."""
    nodes = np.arange(n)
    return n, np.concatenate((nodes, nodes)), np.concatenate(((nodes + 1) % n, (nodes + 2) % n))


# --- synthetic graphs -----------------------------------------------------------------------


def test_no_attack_edge_means_no_sybil_trust() -> None:
    n, src, dst = ring_graph(40)
    assert sybil_share(n, src, dst, attack_edges=0, sybil_size=30) == 0.0


def test_region_is_dense_and_attached_by_distinct_honest_users() -> None:
    n, src, dst = ring_graph(40)
    total, all_src, all_dst = with_sybil_region(n, src, dst, sybil_size=5, attack_edges=7, seed=3)
    assert total == 45
    assert np.array_equal(all_src[: src.size], src)
    assert np.array_equal(all_dst[: dst.size], dst)
    added = np.column_stack((all_src[src.size :], all_dst[dst.size :]))
    inner = added[added[:, 0] >= n]
    attack = added[added[:, 0] < n]
    assert len(inner) == 5 * 4
    assert np.all(inner[:, 1] >= n)
    assert {(int(i), int(j)) for i, j in inner} == {
        (i, j) for i in range(40, 45) for j in range(40, 45) if i != j
    }
    assert len(attack) == 7
    assert len(set(attack[:, 0].tolist())) == 7
    assert np.all(attack[:, 1] >= n)


def test_attackers_of_smaller_k_are_kept_for_larger_k() -> None:
    n, src, dst = ring_graph(60)
    _, small_src, _ = with_sybil_region(n, src, dst, sybil_size=4, attack_edges=5, seed=9)
    _, large_src, _ = with_sybil_region(n, src, dst, sybil_size=4, attack_edges=20, seed=9)
    offset = src.size + 4 * 3
    assert set(small_src[offset:].tolist()) <= set(large_src[offset:].tolist())


def test_attack_edges_beyond_the_honest_users_are_refused() -> None:
    n, src, dst = ring_graph(10)
    with pytest.raises(ValueError, match="attack_edges"):
        with_sybil_region(n, src, dst, attack_edges=11)


def test_default_pretrusted_takes_the_most_endorsed() -> None:
    # 3 is endorsed by four distinct users, 1 by two (one of them twice), 2 by one; 4 by itself.
    src = np.array([0, 1, 2, 4, 0, 2, 2, 0, 4])
    dst = np.array([3, 3, 3, 3, 1, 1, 1, 2, 4])
    assert np.array_equal(default_pretrusted(5, src, dst, fraction=0.2), [3])
    assert np.array_equal(default_pretrusted(5, src, dst, fraction=0.4), [1, 3])
    # ties (0 and 4 have no endorser) go to the lower index
    assert np.array_equal(default_pretrusted(5, src, dst, fraction=0.8), [0, 1, 2, 3])


def test_sybils_are_never_pretrusted_by_default() -> None:
    n, src, dst = ring_graph(30)
    total, all_src, all_dst = with_sybil_region(n, src, dst, sybil_size=50, attack_edges=3)
    # Even if chosen on the combined graph, the default would favour the Sybils' in-degree; the
    # experiment must choose it on the honest graph, before the region exists.
    assert np.all(default_pretrusted(n, src, dst) < n)
    assert np.all(default_pretrusted(total, all_src, all_dst) >= n)
    chosen_on_honest = default_pretrusted(n, src, dst)
    assert sybil_share(n, src, dst, sybil_size=50, attack_edges=3) == sybil_share(
        n, src, dst, sybil_size=50, attack_edges=3, pretrusted=chosen_on_honest
    )


# --- the Bitcoin OTC sample --------------------------------------------------------------------


def test_sample_loads_as_positive_endorsements(otc: Graph) -> None:
    n, src, dst = otc
    with SAMPLE.open(newline="") as handle:
        rows = [(int(a), int(b), int(r)) for a, b, r, _ in csv.reader(handle)]
    ids = sorted({a for a, _, _ in rows} | {b for _, b, _ in rows})
    assert n == len(ids) == 5881
    position = {user: k for k, user in enumerate(ids)}
    expected = [(position[a], position[b]) for a, b, r in rows if r > 0]
    assert list(zip(src.tolist(), dst.tolist(), strict=True)) == expected
    assert "Stanford Network Analysis Project" in BITCOIN_OTC_ATTRIBUTION


def test_sybil_share_grows_with_k_and_stays_small(otc: Graph) -> None:
    n, src, dst = otc
    table = dict(sybil_table(n, src, dst, ks=(1, 10, 100), seed=0))
    assert 0.0 < table[1] < table[10] < table[100]
    assert table[10] < 0.05


def test_sybil_share_does_not_grow_with_region_size(otc: Graph) -> None:
    n, src, dst = otc
    pretrusted = default_pretrusted(n, src, dst)
    small = sybil_share(n, src, dst, sybil_size=50, attack_edges=100, pretrusted=pretrusted)
    large = sybil_share(n, src, dst, sybil_size=500, attack_edges=100, pretrusted=pretrusted)
    assert large == pytest.approx(small, rel=1e-6)


def test_sybil_share_is_the_inflow_over_attack_edges(otc: Graph) -> None:
    # The region keeps all it receives, so at the fixed point a·T_S = (1 - a)·Σ t_i/outdeg_i over
    # the attack edges i→Sybil: the captured share is set by who the attackers are, and how many.
    n, src, dst = otc
    pretrusted = default_pretrusted(n, src, dst)
    total, all_src, all_dst = with_sybil_region(n, src, dst, attack_edges=10, seed=4)
    trust = eigentrust(total, all_src, all_dst, pretrusted=pretrusted).trust
    matrix, _ = endorsement_matrix(total, all_src, all_dst)
    outdeg = np.bincount(matrix.indices, minlength=total)
    attackers = all_src[-10:]
    inflow = float((trust[attackers] / outdeg[attackers]).sum())
    region = float(trust[n:].sum())
    assert region == pytest.approx((1.0 - ALPHA) / ALPHA * inflow, rel=1e-6)
    assert region == pytest.approx(
        sybil_share(n, src, dst, attack_edges=10, seed=4, pretrusted=pretrusted), abs=1e-12
    )
