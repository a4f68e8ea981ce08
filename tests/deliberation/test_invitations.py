"""Invitation services: addresses checked, one pending invitation per address, the e-mail with
its link, revoking, accepting by joining (members-only processes too), the record."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from deliberation import services as deliberation
from deliberation.invitations import services
from deliberation.invitations.models import Invitation, InvitationStatus
from deliberation.invitations.selectors import invitation_from_token
from deliberation.invitations.tokens import invitation_path, invitation_token
from deliberation.models import Participation
from record.models import AuditEvent
from tests.deliberation.conftest import Cast
from tests.factories import AffiliationFactory, UserFactory
from web.errors import StateConflict

pytestmark = pytest.mark.django_db


def invite(cast: Cast, *emails: str) -> list[Invitation]:
    made, _pending, _members = services.invitations_create(
        actor=cast.facilitator, process=cast.process, emails=emails
    )
    return made


def test_addresses_are_split_normalised_and_counted_once() -> None:
    text = "Ada@Example.org, bo@example.org;\n\n  ada@example.org\ncy@example.net  "
    assert services.clean_addresses(services.split_addresses(text)) == [
        "ada@example.org",
        "bo@example.org",
        "cy@example.net",
    ]


def test_every_bad_address_is_named_and_none_is_invited() -> None:
    with pytest.raises(ValidationError) as refused:
        services.clean_addresses(["ok@example.org", "not-an-address", "x@", "@y.org"])
    message = " ".join(refused.value.messages)
    assert "not-an-address" in message and "x@" in message and "@y.org" in message
    assert "ok@example.org" not in message
    with pytest.raises(ValidationError, match="at least one"):
        services.clean_addresses([" ", ""])


def test_a_batch_is_capped_after_duplicates_are_removed() -> None:
    exactly = [f"p{n}@example.org" for n in range(services.MAX_BATCH)]
    assert len(services.clean_addresses(exactly + [a.upper() for a in exactly])) == 200
    with pytest.raises(ValidationError, match="at most 200"):
        services.clean_addresses([*exactly, "one-more@example.org"])


def test_inviting_makes_pending_invitations_and_e_mails_each_its_link(
    cast: Cast, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    cast.facilitator.display_name = "Femi Facilitator"
    cast.facilitator.save()
    with django_capture_on_commit_callbacks(execute=True):
        made = invite(cast, "ada@example.org", "Bo@Example.org")
    assert sorted(i.email for i in made) == ["ada@example.org", "bo@example.org"]
    assert {i.status for i in made} == {InvitationStatus.PENDING}
    assert all(i.expires_at > timezone.now() + timedelta(days=29) for i in made)
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "bo@example.org"]
    message = next(m for m in mail.outbox if m.to == ["ada@example.org"])
    ada = Invitation.objects.get(email="ada@example.org")
    link = f"{settings.SITE_URL}{invitation_path(ada.pk)}"
    assert "Femi Facilitator" in message.subject and cast.process.title in message.subject
    assert message.body.startswith("Hello from Footing,")
    assert link in message.body and cast.process.title in message.body
    html = message.alternatives[0][0]  # type: ignore[attr-defined]
    assert f'href="{link}"' in html
    assert Invitation.objects.filter(emailed_at__isnull=False).count() == 2
    # The record says who invited, naming the invitations but never the addresses.
    event = AuditEvent.objects.get(action="invitation.create")
    assert event.actor == cast.facilitator.pk and event.process == cast.process.pk
    assert event.data == {"invitations": sorted(i.pk for i in made)}
    assert "example.org" not in str(event.data)


def test_pending_invitations_and_participants_are_skipped_and_said(cast: Cast) -> None:
    invite(cast, "ada@example.org")
    made, pending, members = services.invitations_create(
        actor=cast.facilitator,
        process=cast.process,
        emails=["ADA@example.org", cast.member.email.upper(), "new@example.org"],
    )
    assert [i.email for i in made] == ["new@example.org"]
    assert pending == ["ada@example.org"]
    assert members == [cast.member.email.lower()]
    assert Invitation.objects.filter(email="ada@example.org").count() == 1


def test_an_expired_invitation_is_renewed_not_duplicated(cast: Cast) -> None:
    (first,) = invite(cast, "ada@example.org")
    Invitation.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(days=1))
    (again,) = invite(cast, "ada@example.org")
    assert again.pk == first.pk and again.status == InvitationStatus.PENDING
    assert Invitation.objects.count() == 1


def test_a_process_that_is_not_open_takes_no_invitation(cast: Cast) -> None:
    deliberation.process_archive(actor=cast.facilitator, process=cast.process)
    with pytest.raises(StateConflict):
        invite(cast, "ada@example.org")
    assert not Invitation.objects.exists()


def test_a_token_opens_its_own_invitation_only(cast: Cast) -> None:
    first, second = invite(cast, "ada@example.org", "bo@example.org")
    found = invitation_from_token(invitation_token(first.pk))
    assert found is not None and found.pk == first.pk
    token = invitation_token(second.pk)
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert invitation_from_token(altered) is None
    assert invitation_from_token(f"{second.pk}") is None
    assert invitation_from_token("") is None


def test_accepting_joins_a_members_only_process_once(private_cast: Cast) -> None:
    cast = private_cast
    (invitation,) = invite(cast, "ada@example.org")
    ada = UserFactory.create(email="ada@example.org")
    hat = AffiliationFactory.create(user=ada, primary=True)
    participation = services.invitation_accept(actor=ada, invitation=invitation)
    assert (participation.user, participation.affiliation) == (ada, hat)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED and invitation.accepted_by == ada
    event = AuditEvent.objects.get(action="invitation.accept")
    assert event.actor == ada.pk and event.object == f"deliberation.invitation:{invitation.pk}"
    with pytest.raises(StateConflict, match="used already"):
        services.invitation_accept(actor=UserFactory.create(), invitation=invitation)
    assert Participation.objects.filter(process=cast.process).count() == 3


def test_accepting_needs_a_hat_as_joining_does(cast: Cast) -> None:
    (invitation,) = invite(cast, "ada@example.org")
    hatless = UserFactory.create(email="ada@example.org")
    with pytest.raises(ValidationError):
        services.invitation_accept(actor=hatless, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_revoked_and_expired_invitations_cannot_be_accepted(cast: Cast) -> None:
    revoked, expired = invite(cast, "ada@example.org", "bo@example.org")
    services.invitation_revoke(actor=cast.facilitator, invitation=revoked)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    expired.refresh_from_db()
    taker = AffiliationFactory.create().user
    with pytest.raises(StateConflict, match="withdrawn"):
        services.invitation_accept(actor=taker, invitation=revoked)
    with pytest.raises(StateConflict, match="expired"):
        services.invitation_accept(actor=taker, invitation=expired)
    assert not Participation.objects.filter(user=taker).exists()


def test_revoking_is_recorded_and_happens_once(cast: Cast) -> None:
    (invitation,) = invite(cast, "ada@example.org")
    services.invitation_revoke(actor=cast.facilitator, invitation=invitation)
    assert invitation.status == InvitationStatus.REVOKED
    assert AuditEvent.objects.filter(action="invitation.revoke", actor=cast.facilitator.pk).exists()
    with pytest.raises(StateConflict):
        services.invitation_revoke(actor=cast.facilitator, invitation=invitation)
    # The address may be invited again: the revoked invitation no longer holds its place.
    (again,) = invite(cast, "ada@example.org")
    assert again.pk != invitation.pk
    accepted = AffiliationFactory.create().user
    services.invitation_accept(actor=accepted, invitation=again)
    with pytest.raises(StateConflict, match="accepted already"):
        services.invitation_revoke(actor=cast.facilitator, invitation=again)


def test_the_sweep_sends_lost_e_mails_once_and_never_a_revoked_one(cast: Cast) -> None:
    lost, revoked = invite(cast, "ada@example.org", "bo@example.org")  # no commit: never sent
    services.invitation_revoke(actor=cast.facilitator, invitation=revoked)
    assert services.pending_invitation_mail_ids(older_than_seconds=0) == [lost.pk]
    assert services.invitation_mails_send(invitation_ids=[lost.pk, revoked.pk]) == 1
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]
    assert services.invitation_mails_send(invitation_ids=[lost.pk]) == 0
    assert services.pending_invitation_mail_ids(older_than_seconds=0) == []


def test_the_record_never_leads_to_an_invitation_s_link(cast: Cast, client: Client) -> None:
    (invitation,) = invite(cast, "ada@example.org")
    services.invitation_revoke(actor=cast.facilitator, invitation=invitation)
    event = AuditEvent.objects.get(action="invitation.revoke")
    page = client.get("/record/").content.decode()
    assert "A facilitator withdrew an invitation" in page
    assert invitation_token(invitation.pk) not in page
    assert client.get(f"/record/{event.seq}/").status_code == 404
