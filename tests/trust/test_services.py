"""Services of trust: endorsements, commitments, the due sweep, attestations and replies."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from deliberation.models import Visibility
from record.models import AuditEvent
from record.selectors import audit_chain_break
from stakeholders.models import Notification, User
from tests.factories import (
    AttestationFactory,
    CommitmentFactory,
    EndorsementFactory,
    ParticipationFactory,
    ProcessFactory,
    UserFactory,
)
from trust import notifications as trust_kinds
from trust import services
from trust.models import Commitment, Endorsement, Verdict
from trust.tasks import invite_commitment_attesters

pytestmark = pytest.mark.django_db


def _days(n: int) -> date:
    return timezone.localdate() + timedelta(days=n)


# --- endorsements ---------------------------------------------------------------------------------


def test_endorse_withdraw_and_endorse_again(user: User) -> None:
    other = UserFactory.create()
    first = services.endorsement_give(actor=user, to_user=other, note="  Kept every promise. ")
    assert (first.from_user, first.to_user, first.note) == (user, other, "Kept every promise.")
    assert first.active

    services.endorsement_withdraw(actor=user, endorsement=first)
    first.refresh_from_db()
    assert first.withdrawn_at is not None, "withdrawing keeps the row"

    again = services.endorsement_give(actor=user, to_user=other)
    assert again.pk != first.pk
    assert list(Endorsement.objects.active().filter(from_user=user)) == [again]
    assert Endorsement.objects.filter(from_user=user, to_user=other).count() == 2
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions == ["endorsement.give", "endorsement.withdraw", "endorsement.give"]
    assert audit_chain_break() is None


def test_self_and_duplicate_endorsements_are_refused(user: User) -> None:
    with pytest.raises(ValidationError, match="yourself"):
        services.endorsement_give(actor=user, to_user=user)
    other = UserFactory.create()
    services.endorsement_give(actor=user, to_user=other)
    with pytest.raises(ValidationError, match="already endorse"):
        services.endorsement_give(actor=user, to_user=other)
    assert Endorsement.objects.count() == 1
    assert services.endorsement_give(actor=other, to_user=user).to_user == user, "it is directed"


def test_closed_accounts_and_overlong_notes_are_refused(user: User) -> None:
    with pytest.raises(ValidationError, match="closed"):
        services.endorsement_give(actor=user, to_user=UserFactory.create(is_active=False))
    with pytest.raises(ValidationError) as error:
        services.endorsement_give(actor=user, to_user=UserFactory.create(), note="x" * 501)
    assert "note" in error.value.message_dict
    assert not Endorsement.objects.exists()


def test_only_the_endorser_withdraws_and_only_once(user: User) -> None:
    endorsement = EndorsementFactory.create()
    with pytest.raises(PermissionError):
        services.endorsement_withdraw(actor=user, endorsement=endorsement)
    services.endorsement_withdraw(actor=endorsement.from_user, endorsement=endorsement)
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.endorsement_withdraw(actor=endorsement.from_user, endorsement=endorsement)


# --- commitments ----------------------------------------------------------------------------------


def test_commitment_outside_and_inside_a_process(user: User) -> None:
    free = services.commitment_create(actor=user, text=" Publish X ", due_on=_days(30))
    assert (free.text, free.process, free.invitations_sent_at) == ("Publish X", None, None)
    assert not free.is_due()

    process = ProcessFactory.create()
    with pytest.raises(ValidationError) as error:
        services.commitment_create(actor=user, text="Y", due_on=_days(3), process=process)
    assert "process" in error.value.message_dict
    ParticipationFactory.create(process=process, user=user)
    inside = services.commitment_create(actor=user, text="Y", due_on=_days(3), process=process)
    assert inside.process == process
    facilitated = services.commitment_create(
        actor=process.created_by, text="Z", due_on=_days(3), process=process
    )
    assert facilitated.process == process, "facilitators act in their process without joining"
    event = AuditEvent.objects.filter(action="commitment.create").last()
    assert event is not None and event.data == {
        "due": _days(3).isoformat(),
        "process": process.slug,
    }


def test_empty_or_overlong_commitments_are_refused(user: User) -> None:
    for text in ("   ", "x" * 2001):
        with pytest.raises(ValidationError) as error:
            services.commitment_create(actor=user, text=text, due_on=_days(1))
        assert "text" in error.value.message_dict
    assert not Commitment.objects.exists()


def test_due_sweep_invites_the_process_participants_once(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    process = ProcessFactory.create()
    author, first, second = (ParticipationFactory.create(process=process).user for _ in range(3))
    outsider = UserFactory.create()
    due = services.commitment_create(
        actor=author, text="Publish the minutes", due_on=_days(0), process=process
    )
    later = services.commitment_create(
        actor=author, text="Run a workshop", due_on=_days(5), process=process
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert invite_commitment_attesters() == 2
    invited = Notification.objects.filter(kind=trust_kinds.COMMITMENT)
    assert sorted(invited.values_list("user_id", flat=True)) == sorted([first.pk, second.pk])
    assert not invited.filter(user__in=[author, outsider]).exists()
    assert all(n.url == f"/commitments/{due.pk}/" for n in invited)
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.invitations_sent_at is not None
    assert later.invitations_sent_at is None, "not due yet"

    assert invite_commitment_attesters() == 0, "the sweep is idempotent"
    assert services.commitment_invite_attesters(commitment=due) == 0
    assert invited.count() == 2


def test_commitment_without_a_process_invites_the_authors_endorsers(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    commitment = CommitmentFactory.create()
    endorser, former = UserFactory.create(), UserFactory.create()
    EndorsementFactory.create(from_user=endorser, to_user=commitment.author)
    EndorsementFactory.create(
        from_user=former, to_user=commitment.author, withdrawn_at=timezone.now()
    )
    EndorsementFactory.create(from_user=commitment.author, to_user=UserFactory.create())
    with django_capture_on_commit_callbacks(execute=True):
        assert services.commitments_invite_due() == 1
    assert list(Notification.objects.values_list("user_id", flat=True)) == [endorser.pk]


def test_a_commitment_not_yet_due_cannot_be_announced() -> None:
    commitment = CommitmentFactory.create(due_on=_days(1))
    with pytest.raises(ValidationError, match="not due"):
        services.commitment_invite_attesters(commitment=commitment)


# --- attestations ---------------------------------------------------------------------------------


def test_attest_a_due_commitment_and_the_author_is_told(user: User) -> None:
    commitment = CommitmentFactory.create(due_on=_days(-3))
    attestation = services.attestation_give(
        actor=user, commitment=commitment, verdict=Verdict.PARTLY, evidence=" Half done. "
    )
    assert (attestation.verdict, attestation.evidence, attestation.value) == (
        "partly",
        "Half done.",
        0.5,
    )
    told = Notification.objects.get(user=commitment.author)
    assert told.kind == trust_kinds.COMMITMENT and "Partly kept" in told.title
    assert AuditEvent.objects.filter(action="attestation.give").count() == 1


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("own", "your own commitment"),
        ("not_due", "not due until"),
        ("twice", "already attested"),
        ("no_evidence", "evidence"),
        ("bad_verdict", "verdict"),
    ],
)
def test_attestations_that_are_refused(user: User, case: str, message: str) -> None:
    commitment = CommitmentFactory.create(author=user if case == "own" else UserFactory.create())
    verdict, evidence = Verdict.KEPT.value, "Seen on the website."
    if case == "not_due":
        commitment = CommitmentFactory.create(due_on=_days(1))
    elif case == "twice":
        AttestationFactory.create(commitment=commitment, attester=user)
    elif case == "no_evidence":
        evidence = "  "
    elif case == "bad_verdict":
        verdict = "maybe"
    before = commitment.attestations.count()
    with pytest.raises(ValidationError, match=message):
        services.attestation_give(
            actor=user, commitment=commitment, verdict=verdict, evidence=evidence
        )
    assert commitment.attestations.count() == before


def test_only_the_author_replies_and_only_once(user: User) -> None:
    attestation = AttestationFactory.create(commitment__author=user)
    with pytest.raises(PermissionError):
        services.attestation_reply(
            actor=attestation.attester, attestation=attestation, reply="I agree"
        )
    with pytest.raises(ValidationError, match="Write a reply"):
        services.attestation_reply(actor=user, attestation=attestation, reply="  ")
    services.attestation_reply(actor=user, attestation=attestation, reply=" We did publish. ")
    attestation.refresh_from_db()
    assert attestation.reply == "We did publish." and attestation.replied_at is not None
    assert Notification.objects.filter(user=attestation.attester).exists()
    with pytest.raises(ValidationError, match="already replied"):
        services.attestation_reply(actor=user, attestation=attestation, reply="Again")


def test_members_only_process_commitments_stay_in_their_process(user: User) -> None:
    from trust.selectors import commitments_visible_to

    hidden = ProcessFactory.create(visibility=Visibility.MEMBERS)
    member = ParticipationFactory.create(process=hidden).user
    secret = CommitmentFactory.create(author=member, process=hidden)
    public = CommitmentFactory.create()
    assert set(commitments_visible_to(user)) == {public}
    assert set(commitments_visible_to(member)) == {public, secret}
    assert set(commitments_visible_to(hidden.created_by)) == {public, secret}
    assert set(commitments_visible_to(UserFactory.create(is_staff=True))) == {public, secret}
