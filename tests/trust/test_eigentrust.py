"""Tests of the pure EigenTrust, percentile and commitment-record functions (no database)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trust.eigentrust import (
    EigenTrustResult,
    commitment_record,
    eigentrust,
    endorsement_matrix,
    percentiles,
)

ALPHA = 0.15


def dense_walk(
    n: int, edges: list[tuple[int, int]], pretrusted: list[int] | None
) -> tuple[np.ndarray, np.ndarray]:
    """Build C and p densely, straight from the spec's wording, with a Python loop on purpose."""
    chosen = sorted(set(pretrusted or [])) or list(range(n))
    p = np.zeros(n)
    p[chosen] = 1.0 / len(chosen)
    targets: dict[int, set[int]] = {i: set() for i in range(n)}
    for i, j in edges:
        if i != j:
            targets[i].add(j)
    c = np.zeros((n, n))
    for i, endorsed in targets.items():
        if endorsed:
            for j in endorsed:
                c[i, j] = 1.0 / len(endorsed)
        else:
            c[i] = p  # a user with no endorsements distributes like p
    return c, p


def dense_fixed_point(
    n: int, edges: list[tuple[int, int]], pretrusted: list[int] | None, alpha: float = ALPHA
) -> np.ndarray:
    """Solve t = (1 - a)·Cᵀt + a·p exactly as a linear system."""
    c, p = dense_walk(n, edges, pretrusted)
    return np.linalg.solve(np.eye(n) - (1.0 - alpha) * c.T, alpha * p)


def run(
    n: int,
    edges: list[tuple[int, int]],
    pretrusted: list[int] | None = None,
    *,
    alpha: float = ALPHA,
    max_iter: int = 200,
) -> EigenTrustResult:
    src = np.array([i for i, _ in edges], dtype=np.int64)
    dst = np.array([j for _, j in edges], dtype=np.int64)
    pre = None if pretrusted is None else np.array(pretrusted, dtype=np.int64)
    return eigentrust(n, src, dst, pretrusted=pre, alpha=alpha, max_iter=max_iter)


def random_edges(rng: np.random.Generator, n: int, m: int) -> list[tuple[int, int]]:
    return [(int(i), int(j)) for i, j in rng.integers(0, n, size=(m, 2))]


@pytest.mark.parametrize("pretrusted", [None, [0, 3, 7], [5]])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fixed_point_matches_dense_computation(seed: int, pretrusted: list[int] | None) -> None:
    rng = np.random.default_rng(seed)
    n = 12
    edges = random_edges(rng, n, 30)  # sparse enough to leave some nodes dangling
    result = run(n, edges, pretrusted)
    c, p = dense_walk(n, edges, pretrusted)
    t = result.trust

    assert result.converged
    assert result.delta < 1e-10
    assert t.dtype == np.float64
    assert t.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.abs(t - ((1.0 - ALPHA) * c.T @ t + ALPHA * p)).max() < 1e-9
    assert np.abs(t - dense_fixed_point(n, edges, pretrusted)).max() < 1e-9


def test_alpha_is_honoured() -> None:
    rng = np.random.default_rng(5)
    edges = random_edges(rng, 10, 25)
    result = run(10, edges, [1, 2], alpha=0.4)
    assert np.abs(result.trust - dense_fixed_point(10, edges, [1, 2], alpha=0.4)).max() < 1e-9


def test_no_edges_gives_p() -> None:
    uniform = run(5, [])
    assert np.allclose(uniform.trust, np.full(5, 0.2), atol=1e-15)
    focused = run(5, [], [1, 3])
    assert np.allclose(focused.trust, [0.0, 0.5, 0.0, 0.5, 0.0], atol=1e-15)
    assert focused.iterations == 1  # the first update changes nothing
    assert focused.converged


def test_empty_pretrusted_means_uniform() -> None:
    edges = [(0, 1), (1, 2), (2, 0), (3, 0)]
    assert np.array_equal(run(4, edges, []).trust, run(4, edges, None).trust)


def test_duplicate_pretrusted_indices_count_once() -> None:
    edges = [(0, 1), (1, 2), (2, 0), (3, 0)]
    assert np.allclose(run(4, edges, [3, 3, 3, 1]).trust, run(4, edges, [1, 3]).trust, atol=1e-15)


def test_isolated_clique_outside_pretrusted_gets_nothing() -> None:
    # Honest users 0..5 endorse each other; 6..9 endorse only each other and nobody endorses them.
    honest = [(i, (i + 1) % 6) for i in range(6)] + [(0, 3), (2, 5), (4, 1)]
    clique = [(i, j) for i in range(6, 10) for j in range(6, 10) if i != j]
    t = run(10, honest + clique, [0, 1]).trust
    assert t[6:].sum() < 1e-12


def test_isolated_clique_gets_exactly_its_p_mass_without_dangling_nodes() -> None:
    # Mass entering the clique only comes from p; none leaves, since members endorse only each
    # other. So at the fixed point a·T_S = a·p(S): the clique holds exactly its share of p.
    honest = [(i, (i + 1) % 6) for i in range(6)] + [(0, 3), (2, 5), (4, 1)]
    clique = [(i, j) for i in range(6, 10) for j in range(6, 10) if i != j]
    uniform = run(10, honest + clique).trust
    assert uniform[6:].sum() == pytest.approx(4 / 10, abs=1e-9)
    one_pretrusted = run(10, honest + clique, [0, 1, 2, 6]).trust
    assert one_pretrusted[6:].sum() == pytest.approx(1 / 4, abs=1e-9)


def test_isolated_clique_also_takes_its_p_share_of_dangling_mass() -> None:
    # Dangling users distribute like p, so the clique also receives p(S)·(1 - a)·D, where D is the
    # dangling users' total trust: T_S = p(S)·(a + (1 - a)·D)/a, above p(S) whenever D > 0.
    honest = [(0, 1), (1, 2), (2, 0), (3, 0), (4, 0)]  # 5 and its own edges: none, dangling
    honest += [(0, 5), (1, 5)]
    clique = [(i, j) for i in range(6, 9) for j in range(6, 9) if i != j]
    t = run(9, honest + clique, [0, 6]).trust
    dangling_mass = t[5]
    bound = 0.5 * (ALPHA + (1.0 - ALPHA) * dangling_mass) / ALPHA
    assert dangling_mass > 0.0
    assert t[6:].sum() == pytest.approx(bound, abs=1e-9)


def test_dangling_node_distributes_like_p() -> None:
    # Node 2 endorses no one: it must behave exactly as if it endorsed the pre-trusted {0, 1}.
    edges = [(0, 1), (1, 0), (0, 2), (1, 3), (3, 2)]
    implicit = run(4, edges, [0, 1]).trust
    explicit = run(4, [*edges, (2, 0), (2, 1)], [0, 1]).trust
    assert np.abs(implicit - explicit).max() < 1e-9
    assert implicit.sum() == pytest.approx(1.0, abs=1e-12)


def test_all_nodes_dangling_but_one_edge() -> None:
    t = run(3, [(0, 1)]).trust
    assert np.abs(t - dense_fixed_point(3, [(0, 1)], None)).max() < 1e-9
    assert t[1] > t[0] == pytest.approx(t[2])


def test_duplicate_edges_and_self_loops_are_ignored() -> None:
    edges = [(0, 1), (1, 2), (2, 0), (2, 3), (3, 1)]
    noisy = [*edges, (0, 1), (0, 1), (2, 3), (1, 1), (3, 3), (0, 0)]
    assert np.abs(run(4, noisy, [0]).trust - run(4, edges, [0]).trust).max() < 1e-15


def test_endorsement_matrix_is_column_stochastic_except_dangling() -> None:
    # 0 endorses 1 twice and 2; 1 and 3 only endorse themselves; 4 endorses no one.
    src = np.array([0, 0, 0, 1, 2, 2, 3])
    dst = np.array([1, 2, 1, 1, 0, 2, 3])
    matrix, dangling = endorsement_matrix(5, src, dst, scale=0.85)
    dense = matrix.toarray()
    assert np.array_equal(dangling, [False, True, False, True, True])
    assert np.allclose(dense.sum(axis=0), [0.85, 0.0, 0.85, 0.0, 0.0])
    assert dense[1, 0] == dense[2, 0] == 0.425
    assert dense[0, 2] == 0.85
    assert matrix.nnz == 3


def test_iteration_limit_reports_non_convergence() -> None:
    rng = np.random.default_rng(3)
    edges = random_edges(rng, 30, 90)
    stopped = run(30, edges, [0], max_iter=3)
    assert stopped.iterations == 3
    assert not stopped.converged
    assert stopped.delta >= 1e-10
    assert stopped.trust.sum() == pytest.approx(1.0, abs=1e-12)
    untouched = run(30, edges, [0], max_iter=0)
    assert untouched.iterations == 0
    assert not untouched.converged
    assert untouched.trust[0] == 1.0


def test_empty_graph_of_no_nodes() -> None:
    result = run(0, [])
    assert result.trust.shape == (0,)
    assert result.converged


@pytest.mark.parametrize(
    ("n", "src", "dst", "pretrusted", "error"),
    [
        (3, [0, 1], [1], None, ValueError),
        (3, [0, 3], [1, 2], None, ValueError),
        (3, [0, -1], [1, 2], None, ValueError),
        (3, [0.0, 1.0], [1, 2], None, TypeError),
        (3, [0, 1], [1, 2], [5], ValueError),
        (3, [0, 1], [1, 2], [True, False, True], TypeError),
    ],
)
def test_bad_input_is_refused(
    n: int, src: list[float], dst: list[int], pretrusted: list[int] | None, error: type[Exception]
) -> None:
    pre = None if pretrusted is None else np.array(pretrusted)
    with pytest.raises(error):
        eigentrust(n, np.array(src), np.array(dst), pretrusted=pre)


@pytest.mark.parametrize(
    ("alpha", "tol", "max_iter", "message"),
    [
        (1.5, 1e-10, 200, "alpha"),
        (-0.1, 1e-10, 200, "alpha"),
        (0.15, 0.0, 200, "tol"),
        (0.15, 1e-10, -1, "max_iter"),
    ],
)
def test_bad_parameters_are_refused(alpha: float, tol: float, max_iter: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        eigentrust(2, np.array([0]), np.array([1]), alpha=alpha, tol=tol, max_iter=max_iter)


@st.composite
def graphs(draw: st.DrawFn) -> tuple[int, list[tuple[int, int]], list[int] | None]:
    n = draw(st.integers(min_value=1, max_value=25))
    node = st.integers(min_value=0, max_value=n - 1)
    edges = draw(st.lists(st.tuples(node, node), max_size=80))
    pretrusted = draw(st.none() | st.lists(node, max_size=6))
    return n, edges, pretrusted


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_trust_is_a_distribution_matching_the_dense_solution(
    graph: tuple[int, list[tuple[int, int]], list[int] | None],
) -> None:
    n, edges, pretrusted = graph
    result = run(n, edges, pretrusted)
    assert result.converged
    assert result.trust.shape == (n,)
    assert np.all(result.trust >= 0.0)
    assert result.trust.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.abs(result.trust - dense_fixed_point(n, edges, pretrusted)).max() < 1e-9


@settings(max_examples=60, deadline=None)
@given(graphs(), st.data())
def test_relabelling_nodes_relabels_trust(
    graph: tuple[int, list[tuple[int, int]], list[int] | None], data: st.DataObject
) -> None:
    n, edges, pretrusted = graph
    perm = data.draw(st.permutations(range(n)))
    moved_edges = [(perm[i], perm[j]) for i, j in edges]
    moved_pre = None if pretrusted is None else [perm[i] for i in pretrusted]
    original = run(n, edges, pretrusted).trust
    moved = run(n, moved_edges, moved_pre).trust
    assert np.abs(moved[perm] - original).max() < 1e-9


def test_percentiles_worked_example() -> None:
    assert np.array_equal(percentiles(np.array([0.1, 0.3, 0.3, 0.6])), [0.0, 50.0, 50.0, 100.0])
    assert np.array_equal(percentiles(np.array([0.5, 0.2, 0.3])), [100.0, 0.0, 50.0])
    assert np.array_equal(percentiles(np.array([0.25] * 4)), [50.0] * 4)
    assert np.array_equal(percentiles(np.array([0.7])), [50.0])
    assert percentiles(np.array([])).shape == (0,)


def test_percentiles_of_symmetric_users_tie() -> None:
    # 1, 2 and 3 sit in identical positions (each endorsed by 0 alone, each endorsing 0).
    edges = [(0, 1), (0, 2), (0, 3), (1, 0), (2, 0), (3, 0)]
    shown = percentiles(run(4, edges).trust)
    assert shown[1] == shown[2] == shown[3] == pytest.approx(100.0 / 3)
    assert shown[0] == 100.0


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=8), min_size=2, max_size=40))
def test_percentiles_are_monotone_and_bounded(raw: list[int]) -> None:
    values = np.array(raw, dtype=np.float64) / 8.0
    shown = percentiles(values)
    assert np.all((shown >= 0.0) & (shown <= 100.0))
    for i in range(len(raw)):
        for j in range(len(raw)):
            if values[i] < values[j]:
                assert shown[i] < shown[j]
            elif values[i] == values[j]:
                assert shown[i] == shown[j]
    assert shown.mean() == pytest.approx(50.0)  # mid-ranks are symmetric about the middle


@pytest.mark.parametrize(
    ("weights", "values", "expected"),
    [
        ([], [], 0.5),
        ([1.0], [1.0], 2.0 / 3.0),
        ([1.0], [0.0], 1.0 / 3.0),
        ([1.0, 1.0, 2.0], [1.0, 0.5, 0.0], 2.5 / 6.0),
        ([0.0, 0.0], [1.0, 0.0], 0.5),
        ([0.002, 0.001], [1.0, 0.5], 1.0025 / 2.003),
    ],
)
def test_commitment_record_examples(
    weights: list[float], values: list[float], expected: float
) -> None:
    assert commitment_record(np.array(weights), np.array(values)) == pytest.approx(expected)


def test_commitment_record_tends_to_the_weighted_mean() -> None:
    record = commitment_record(np.full(4, 1e6), np.array([1.0, 1.0, 1.0, 0.5]))
    assert record == pytest.approx(0.875, abs=1e-6)


@pytest.mark.parametrize(
    ("weights", "values", "message"),
    [
        ([1.0], [1.5], "values"),
        ([-1.0], [1.0], "weights"),
        ([1.0, 2.0], [1.0], "equal length"),
        ([np.nan], [1.0], "weights"),
        ([1.0], [np.nan], "values"),
    ],
)
def test_commitment_record_refuses_bad_input(
    weights: list[float], values: list[float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        commitment_record(np.array(weights), np.array(values))
