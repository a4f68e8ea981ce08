"""The benchmark runner's table and guard, and the trust benchmark's two paths agreeing."""

import numpy as np
import pytest
from django.utils import timezone

from bench.runner import bench_database_url, check, info, render, share, timing
from bench.trust import bare_path, service_path
from tests.factories import AffiliationFactory, EndorsementFactory, UserFactory


def test_the_table_says_pass_fail_and_info() -> None:
    table = render(
        [
            timing("fast enough", 1.2, 1.0, max_ratio=1.5),
            timing("too slow", 2.0, 1.0, max_ratio=1.5),
            share("small share", 0.01, 0.05),
            check("grows", ok=False, detail="3 > 2"),
            info("context", "21 iterations"),
        ]
    )
    lines = table.splitlines()
    assert lines[0].split() == ["figure", "measured", "limit", "ratio", "result"]
    assert lines[2].split()[-2:] == ["1.20", "pass"]
    assert lines[3].split()[-2:] == ["2.00", "FAIL"]
    assert lines[4].split()[-2:] == ["0.20", "pass"]
    assert lines[5].endswith("FAIL")
    assert lines[6].split()[-1] == "info"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("postgres://footing:footing@127.0.0.1:5432/footing_bench", True),
        ("postgres://footing:footing@127.0.0.1:5432/footing", False),
        ("postgres://footing:footing@127.0.0.1:5432/footing_trust", False),
    ],
)
def test_the_benchmarks_never_run_on_a_database_not_named_bench(
    monkeypatch: pytest.MonkeyPatch, url: str, allowed: bool
) -> None:
    monkeypatch.setenv("BENCH_DATABASE_URL", url)
    if allowed:
        assert bench_database_url() == url
    else:
        with pytest.raises(SystemExit, match="must contain 'bench'"):
            bench_database_url()


@pytest.mark.django_db
def test_service_and_bare_paths_compute_the_same_trust() -> None:
    users = UserFactory.create_batch(8)
    for user in users[:2]:
        AffiliationFactory.create(user=user, verified_at=timezone.now())
    for i, user in enumerate(users):
        EndorsementFactory.create(from_user=user, to_user=users[(i + 3) % 8])
    EndorsementFactory.create(from_user=users[0], to_user=users[5], withdrawn_at=timezone.now())
    service, bare = service_path(), bare_path()
    assert service.sum() == pytest.approx(1.0)
    assert np.abs(service - bare).max() < 1e-12
