"""The opinion-map benchmark's reference and the product agree on a sample, and the synthetic
poll has the promised size."""

from sklearn.metrics import adjusted_rand_score

from bench import opinion as bench_opinion
from consensus.polls import opinion


def test_reference_and_product_agree_on_the_seattle_sample() -> None:
    data = bench_opinion.load_sample("15-per-hour-seattle")
    result = opinion.compute(data)
    labels = bench_opinion.bare(bench_opinion.latest_matrix(data))
    assert len(labels) == len(result.members)
    assert adjusted_rand_score(result.group, labels) == 1.0


def test_the_synthetic_poll_has_two_million_votes() -> None:
    n_p, n_s, each = bench_opinion.SYNTHETIC
    assert n_p * each == 2_000_000
    assert n_s == 1_000
