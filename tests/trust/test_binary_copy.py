"""The binary COPY writer: every kind of column it packs reads back as written."""

from datetime import UTC, datetime

import numpy as np
import pytest
from django.contrib.sessions.models import Session

from tests.factories import UserFactory
from trust.binary_copy import copy_rows
from trust.models import TrustComputation, TrustScore

pytestmark = pytest.mark.django_db


def _computation() -> TrustComputation:
    at = datetime(2026, 12, 3, 4, 5, 6, 789_012, tzinfo=UTC)
    return TrustComputation.objects.create(
        started_at=at, finished_at=at, trigger="schedule", users=2, endorsements=0,
        pretrusted=0, attestations=0, alpha=0.15, iterations=1, delta=0.0, converged=True,
    )  # fmt: skip


def test_integers_floats_booleans_and_a_shared_moment_read_back_exactly() -> None:
    computation = _computation()
    people = [UserFactory.create(), UserFactory.create()]
    moment = datetime(1999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)  # before the wire's epoch
    written = {
        "computation": np.full(2, computation.pk),
        "user": np.array([p.pk for p in people]),
        "computed_at": moment,
        "endorsement_trust": np.array([1 / 3, 2.5e-300]),
        "percentile": np.array([0.0, 100.0]),
        "commitment_record": np.array([0.5, -0.25]),
        "endorsed_by": np.array([2**31 - 1, -(2**31)]),
        "pretrusted": np.array([True, False]),
    }
    others = [f.name for f in TrustScore._meta.concrete_fields if f.name not in {"id", *written}]
    copy_rows(TrustScore, {**written, **{name: np.zeros(2) for name in others}}, 2)
    first, second = TrustScore.objects.filter(computation=computation).order_by("user_id")
    assert (first.user_id, second.user_id) == (people[0].pk, people[1].pk)
    assert first.computed_at == second.computed_at == moment
    assert (first.endorsement_trust, second.endorsement_trust) == (1 / 3, 2.5e-300)
    assert (first.commitment_record, second.commitment_record) == (0.5, -0.25)
    assert (first.endorsed_by, second.endorsed_by) == (2**31 - 1, -(2**31))
    assert (first.pretrusted, second.pretrusted) == (True, False)
    assert (first.days, first.weight) == (0, 0.0)


def test_a_column_it_cannot_pack_is_refused_before_anything_is_written() -> None:
    with pytest.raises(TypeError, match="session_data"):
        copy_rows(Session, {"session_data": ["text"]}, 1)
    assert not Session.objects.exists()
