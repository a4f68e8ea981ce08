"""The trust computation service against the pure module, its inputs and its query count."""

import itertools
from datetime import timedelta

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from record.models import AuditEvent
from stakeholders.models import User
from tests.factories import (
    AffiliationFactory,
    AttestationFactory,
    CommitmentFactory,
    EndorsementFactory,
    ParticipationFactory,
    UserFactory,
)
from trust import selectors
from trust.eigentrust import ALPHA, commitment_record, eigentrust, percentiles
from trust.models import TrustComputation, TrustScore, Verdict
from trust.scores import trust_compute

pytestmark = pytest.mark.django_db


def _verified(user: User, **extra: object) -> None:
    AffiliationFactory.create(user=user, verified_at=timezone.now(), **extra)


def _scores(run: TrustComputation) -> dict[int, TrustScore]:
    return {score.user_id: score for score in TrustScore.objects.filter(computation=run)}


def test_stored_trust_is_the_pure_modules_result_on_the_same_edges() -> None:
    rng = np.random.default_rng(7)
    users = UserFactory.create_batch(12)
    for user in users[:3]:
        _verified(user)
    _verified(users[3], ended_on=timezone.localdate(), started_on=timezone.localdate())
    AffiliationFactory.create(user=users[4])  # not verified: not pre-trusted
    pairs = {(int(i), int(j)) for i, j in rng.integers(0, 12, size=(40, 2)) if i != j}
    for i, j in sorted(pairs):
        EndorsementFactory.create(from_user=users[i], to_user=users[j])
    withdrawn = EndorsementFactory.create(
        from_user=users[11], to_user=users[10], withdrawn_at=timezone.now()
    )
    closed = UserFactory.create(is_active=False)
    EndorsementFactory.create(from_user=closed, to_user=users[5])
    EndorsementFactory.create(from_user=users[6], to_user=closed)

    run = trust_compute()

    ids = sorted(u.pk for u in users)
    index = {pk: k for k, pk in enumerate(ids)}
    src = np.array([index[users[i].pk] for i, _ in sorted(pairs)], dtype=np.int64)
    dst = np.array([index[users[j].pk] for _, j in sorted(pairs)], dtype=np.int64)
    pretrusted = np.array(sorted(index[u.pk] for u in users[:3]), dtype=np.int64)
    expected = eigentrust(12, src, dst, pretrusted=pretrusted)
    shown = percentiles(np.round(expected.trust * 12, 6))

    scores = _scores(run)
    assert set(scores) == set(ids), "one score per active user, none for the closed account"
    for pk, k in index.items():
        assert scores[pk].endorsement_trust == pytest.approx(expected.trust[k], abs=1e-15)
        assert scores[pk].percentile == pytest.approx(shown[k])
        assert scores[pk].components["endorsement"]["relative"] == pytest.approx(
            expected.trust[k] * 12
        )
    assert sum(s.endorsement_trust for s in scores.values()) == pytest.approx(1.0, abs=1e-12)
    assert (run.users, run.endorsements, run.pretrusted) == (12, len(pairs), 3)
    assert (run.iterations, run.converged, run.alpha) == (expected.iterations, True, ALPHA)
    endorsed = scores[users[10].pk].components["endorsement"]["endorsed_by"]
    assert endorsed == sum(1 for _, j in pairs if j == 10), "withdrawn ones do not count"
    assert withdrawn.withdrawn_at is not None


def test_pretrusted_are_the_verified_users_or_everyone() -> None:
    plain, verified_a, verified_b = UserFactory.create_batch(3)
    uniform = _scores(trust_compute())
    assert {pk: s.endorsement_trust for pk, s in uniform.items()} == pytest.approx(
        {plain.pk: 1 / 3, verified_a.pk: 1 / 3, verified_b.pk: 1 / 3}
    ), "no verified hat: trust starts uniform over everyone, and with no edges t = p"

    _verified(verified_a)
    _verified(verified_b)
    focused = trust_compute()
    scores = _scores(focused)
    assert focused.pretrusted == 2
    assert scores[plain.pk].endorsement_trust == 0.0
    assert scores[verified_a.pk].endorsement_trust == pytest.approx(0.5)
    assert scores[verified_b.pk].components["endorsement"]["pretrusted"] is True
    assert scores[plain.pk].components["endorsement"]["pretrusted"] is False


def test_a_clique_nobody_outside_endorses_gains_nothing() -> None:
    honest = UserFactory.create_batch(4)
    for user in honest:
        _verified(user)
    for a, b in zip(honest, honest[1:] + honest[:1], strict=True):
        EndorsementFactory.create(from_user=a, to_user=b)
    clique = UserFactory.create_batch(3)
    for a in clique:
        for b in clique:
            if a != b:
                EndorsementFactory.create(from_user=a, to_user=b)
    scores = _scores(trust_compute())
    assert all(scores[u.pk].endorsement_trust == 0.0 for u in clique)
    assert all(scores[u.pk].percentile < scores[honest[0].pk].percentile for u in clique)


def test_commitment_record_weighs_attesters_by_their_trust() -> None:
    author, trusted, stranger, partial = UserFactory.create_batch(4)
    _verified(trusted)
    _verified(partial)
    EndorsementFactory.create(from_user=trusted, to_user=partial)
    kept = CommitmentFactory.create(author=author, due_on=timezone.localdate() - timedelta(days=9))
    AttestationFactory.create(commitment=kept, attester=trusted, verdict=Verdict.KEPT)
    AttestationFactory.create(commitment=kept, attester=stranger, verdict=Verdict.BROKEN)
    other = CommitmentFactory.create(author=author)
    AttestationFactory.create(commitment=other, attester=partial, verdict=Verdict.PARTLY)
    CommitmentFactory.create(author=author, due_on=timezone.localdate() + timedelta(days=3))

    run = trust_compute()
    scores = _scores(run)
    n = run.users
    weights = np.array([scores[u.pk].endorsement_trust * n for u in (trusted, stranger, partial)])
    assert weights[1] == 0.0, "nobody trusts the stranger: their 'broken' adds nothing"
    expected = commitment_record(weights, np.array([1.0, 0.0, 0.5]))
    record = scores[author.pk].components["commitments"]
    assert scores[author.pk].commitment_record == pytest.approx(expected)
    assert record == {
        "record": pytest.approx(expected),
        "made": 3,
        "due": 2,
        "attestations": 3,
        "kept": 1,
        "partly": 1,
        "broken": 1,
        "weight": pytest.approx(weights.sum()),
    }
    assert scores[trusted.pk].commitment_record == 0.5, "no attestation: the neutral 1/2"
    assert run.attestations == 3


def test_tenure_counts_processes_and_days() -> None:
    veteran = UserFactory.create(date_joined=timezone.now() - timedelta(days=40))
    hat = AffiliationFactory.create(user=veteran, primary=True)
    for _ in range(2):
        ParticipationFactory.create(user=veteran, affiliation=hat)
    newcomer = UserFactory.create()
    scores = _scores(trust_compute())
    assert scores[veteran.pk].components["tenure"] == {"processes": 2, "days": 40}
    assert scores[newcomer.pk].components["tenure"] == {"processes": 0, "days": 0}


def test_endorsements_change_the_score_after_recomputation() -> None:
    users = UserFactory.create_batch(5)
    _verified(users[0])
    EndorsementFactory.create(from_user=users[0], to_user=users[1])
    before = trust_compute()
    earlier = selectors.latest_score(users[2])
    assert earlier is not None and earlier.endorsement_trust == 0.0

    EndorsementFactory.create(from_user=users[0], to_user=users[2])
    EndorsementFactory.create(from_user=users[1], to_user=users[2])
    after = trust_compute()
    latest = selectors.latest_score(users[2])
    assert latest is not None and latest.computation == after != before
    assert latest.endorsement_trust > 0.1
    assert latest.percentile > earlier.percentile
    assert latest.percentile > _scores(after)[users[1].pk].percentile, "endorsed by two, not one"
    assert _scores(before)[users[2].pk].endorsement_trust == 0.0, "earlier runs are kept"


def test_query_count_does_not_grow_with_the_users(
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            trust_compute()
        return len(captured)

    small = UserFactory.create_batch(5)
    EndorsementFactory.create(from_user=small[0], to_user=small[1])
    AttestationFactory.create(commitment__author=small[0], attester=small[2])
    few = queries()
    many = UserFactory.create_batch(150)
    for a, b in itertools.pairwise(many):
        EndorsementFactory.create(from_user=a, to_user=b)
    for user in many[:30]:
        AttestationFactory.create(commitment__author=user, attester=many[-1])
        ParticipationFactory.create(user=user)
    assert queries() == few
    # Reads, the computation row and its update, the lock; the scores go in one COPY.
    with django_assert_max_num_queries(12):
        trust_compute()
    assert (
        TrustScore.objects.filter(computation=TrustComputation.objects.latest_run()).count() > 180
    )


def test_an_admins_run_is_on_the_record_and_the_nightly_one_is_not(admin_user: User) -> None:
    trust_compute()
    assert not AuditEvent.objects.filter(action="trust.recompute").exists()
    run = trust_compute(actor=admin_user, trigger=TrustComputation.Trigger.ADMIN)
    event = AuditEvent.objects.get(action="trust.recompute")
    assert event.actor == admin_user.pk
    assert event.object == f"trust.trustcomputation:{run.pk}"
    assert run.actor == admin_user and run.seconds >= 0


def test_compute_trust_command_says_what_it_did(capsys: pytest.CaptureFixture[str]) -> None:
    users = UserFactory.create_batch(3)
    EndorsementFactory.create(from_user=users[0], to_user=users[1])
    call_command("compute_trust")
    output = capsys.readouterr().out
    run = TrustComputation.objects.get()
    assert run.trigger == TrustComputation.Trigger.COMMAND
    assert f"#{run.pk}: 3 users, 1 endorsements" in output
    assert "converged" in output


def test_no_users_at_all() -> None:
    run = trust_compute()
    assert (run.users, run.endorsements, run.converged) == (0, 0, True)
    assert not TrustScore.objects.exists()
