"""Trust history retention: the latest scores, one computation a day for 30 days, then one a
month; beat prunes the rest, so storage does not grow by a row per user per night."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import AffiliationFactory, EndorsementFactory, UserFactory
from trust.models import TrustComputation, TrustScore
from trust.retention import kept_computations
from trust.scores import trust_compute, trust_history_prune
from trust.tasks import prune_trust_history

NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)


def _nightly(nights: int, *, extra_per_night: int = 0) -> list[tuple[int, datetime]]:
    """`nights` nightly runs up to NOW (and some admin re-runs the same nights), in id order."""
    runs: list[tuple[int, datetime]] = []
    for night in range(nights, -1, -1):
        at = NOW - timedelta(days=night, hours=9)
        for extra in range(1 + extra_per_night):
            runs.append((len(runs) + 1, at + timedelta(minutes=extra)))
    return runs


def test_the_last_30_days_keep_one_run_a_day_and_older_months_one_run_each() -> None:
    runs = _nightly(400, extra_per_night=1)
    kept = kept_computations(runs, now=NOW, days=30, months=24)
    started = dict(runs)
    recent = [pk for pk in kept if started[pk] >= NOW - timedelta(days=30)]
    older = sorted(pk for pk in kept if started[pk] < NOW - timedelta(days=30))
    assert len(recent) == 30
    assert all(started[pk].minute == 1 for pk in recent), "the last run of each day"
    months = [(started[pk].year, started[pk].month) for pk in older]
    assert len(months) == len(set(months)) == 13, "one per month, May 2025 to May 2026"
    assert max(runs)[0] in kept


def test_months_beyond_the_limit_are_dropped_and_zero_keeps_every_month() -> None:
    runs = _nightly(1200)
    limited = kept_computations(runs, now=NOW, days=30, months=12)
    every = kept_computations(runs, now=NOW, days=30, months=0)
    assert len(limited) < len(every)
    assert len(limited) <= 1 + 31 + 12
    assert min(dict(runs)[pk] for pk in limited) > NOW - timedelta(days=30 + 366)


@given(
    st.lists(
        st.datetimes(
            min_value=datetime(2024, 1, 1),  # noqa: DTZ001 - made aware below
            max_value=datetime(2026, 6, 15),  # noqa: DTZ001
        ),
        max_size=80,
    )
)
def test_retention_is_bounded_and_always_keeps_the_latest(moments: list[datetime]) -> None:
    runs = [(pk, moment.replace(tzinfo=UTC)) for pk, moment in enumerate(sorted(moments), 1)]
    kept = kept_computations(runs, now=NOW, days=30, months=24)
    assert kept <= {pk for pk, _ in runs}
    assert len(kept) <= 1 + 31 + 25
    if runs:
        assert runs[-1][0] in kept


@pytest.mark.django_db
def test_pruning_deletes_only_the_scores_retention_drops() -> None:
    people = UserFactory.create_batch(4)
    AffiliationFactory.create(user=people[0], verified_at=timezone.now())
    EndorsementFactory.create(from_user=people[0], to_user=people[1])
    runs = [trust_compute() for _ in range(4)]
    now = timezone.now()
    # The first three ran on three nights, 40, 40 and 2 days ago; the last one just now.
    for run, days in zip(runs[:3], (40, 40, 2), strict=True):
        TrustComputation.objects.filter(pk=run.pk).update(started_at=now - timedelta(days=days))
    per_run = TrustScore.objects.filter(computation=runs[0]).count()
    assert per_run == TrustComputation.objects.get(pk=runs[0].pk).users > 0

    assert trust_history_prune(now=now) == per_run, "the first of two runs in one month goes"
    assert set(TrustScore.objects.values_list("computation_id", flat=True)) == {
        runs[1].pk,
        runs[2].pk,
        runs[3].pk,
    }
    assert TrustComputation.objects.count() == 4, "the runs stay listed"
    assert prune_trust_history() == 0, "beat's task runs the same pruning, idempotently"
    call_command("prune_trust_history", verbosity=0)
