"""`seed_demo` adds the demo's trust: endorsements, a due and a future commitment, a first run."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from record.selectors import audit_chain_break
from trust.models import (
    Attestation,
    Commitment,
    Endorsement,
    Flag,
    ModerationCase,
    SignalRun,
    TrustComputation,
    TrustScore,
)
from trust.services import endorsement_withdraw

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            Endorsement,
            Commitment,
            Attestation,
            TrustComputation,
            TrustScore,
            Flag,
            ModerationCase,
            SignalRun,
        )
    )


def test_seed_demo_adds_trust_once() -> None:
    call_command("seed_demo")
    first = _counts()
    endorsements, commitments, attestations, runs, scores, flags, cases, signal_runs = first
    assert endorsements > 30 and (commitments, attestations, runs, scores) == (2, 2, 1, 32)
    assert (flags, cases, signal_runs) == (1, 1, 0)
    flag = Flag.objects.get()
    assert flag.reporter.email == "s12@example.org" and flag.target_type == "comment"
    assert ModerationCase.objects.get().subject == flag.subject

    due = Commitment.objects.get(due_on__lt=timezone.localdate())
    assert due.author.email == "s01@example.org"
    assert due.invitations_sent_at is not None
    assert {a.verdict for a in due.attestations.all()} == {"kept", "partly"}
    assert due.attestations.exclude(reply="").count() == 1
    assert Commitment.objects.get(due_on__gt=timezone.localdate()).author.email == "s16@example.org"
    assert TrustScore.objects.get(user=due.author).components["commitments"]["attestations"] == 2

    withdrawn = Endorsement.objects.first()
    assert withdrawn is not None
    endorsement_withdraw(actor=withdrawn.from_user, endorsement=withdrawn)
    call_command("seed_demo")
    assert _counts() == first, "running seed_demo again changes nothing"
    withdrawn.refresh_from_db()
    assert withdrawn.withdrawn_at is not None, "what a user withdrew stays withdrawn"
    assert audit_chain_break() is None
