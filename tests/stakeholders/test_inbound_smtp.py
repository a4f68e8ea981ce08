"""Replies by real SMTP to the listener (aiosmtpd on a private port): comments, ballots, refusals,
auto-replies ignored, and a message whose processing failed picked up by the sweep."""

import smtplib
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.mail import EmailMessage as DjangoMail
from django.test import Client
from django.utils import timezone

from bench.stack import free_port
from consensus import services as consensus
from consensus.models import Ballot, EmailBallot, EmailBallotState
from deliberation import services as deliberation
from deliberation.models import Comment
from record.models import AuditEvent
from stakeholders.inbound.models import InboundMessage, InboundStatus
from stakeholders.inbound.smtp import controller
from stakeholders.tasks import retry_inbound_messages
from tests.consensus.conftest import Scene, make_scene
from tests.stakeholders.mail_helpers import (
    comment_thread,
    confirmation_path,
    mail_to,
    reply,
    reply_address,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def smtp_port(settings: object) -> Iterator[int]:
    port = free_port()
    listener = controller(host="127.0.0.1", port=port)
    listener.start()
    try:
        yield port
    finally:
        listener.stop()


def send(port: int, raw: bytes, sender: str = "someone@example.org", to: str = "") -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        recipient = to or _header(raw, "To")
        client.sendmail(sender, [recipient], raw)


def _header(raw: bytes, name: str) -> str:
    from email import message_from_bytes, policy

    return str(message_from_bytes(raw, policy=policy.default)[name])


@pytest.fixture
def scene() -> Scene:
    return make_scene()


def test_a_reply_becomes_a_comment_with_the_quote_and_signature_removed(
    scene: Scene, smtp_port: int, mailoutbox: list[DjangoMail]
) -> None:
    author, replier = scene.person("civil_society"), scene.person("academia")
    web_reply = comment_thread(scene, author, replier)
    notification = mail_to(mailoutbox, author, "New reply")

    raw = reply(notification, sender=author.email, text="Thanks — **markdown** stays.\n\n- a list")
    send(smtp_port, raw, sender=author.email)

    message = InboundMessage.objects.get()
    assert message.status == InboundStatus.PROCESSED, message.outcome
    # Kept as it came over the wire, where SMTP ends lines with CRLF.
    assert (
        bytes(message.raw).replace(b"\r\n", b"\n").rstrip() == raw.replace(b"\r\n", b"\n").rstrip()
    )
    comment = Comment.objects.get(author=author, parent=web_reply)
    assert comment.body == "Thanks — **markdown** stays.\n\n- a list"
    assert "wrote:" not in comment.body
    assert "A. Person" not in comment.body


def test_a_ballot_reply_counts_once_its_confirmation_link_is_followed(
    scene: Scene, smtp_port: int, mailoutbox: list[DjangoMail], client: Client
) -> None:
    voter = scene.person("government")
    round_ = scene.open_round()
    announcement = mail_to(mailoutbox, voter, "consensus round is open")
    assert "support, accept, abstain" in str(announcement.body)

    send(smtp_port, reply(announcement, sender=voter.email, text="Support\nIt is clear."))

    pending = EmailBallot.objects.get(user=voter)
    assert pending.state == EmailBallotState.PENDING
    assert not Ballot.objects.filter(round=round_, user=voter).exists(), "pending until confirmed"
    answer = mail_to(mailoutbox, voter, "Confirm your ballot")
    assert answer.extra_headers["Auto-Submitted"] == "auto-replied"
    path = confirmation_path(answer)

    page = client.get(path)
    assert page.status_code == 200
    assert not Ballot.objects.filter(round=round_, user=voter).exists(), "a GET never casts"
    assert client.post(path).status_code == 302

    ballot = Ballot.objects.get(round=round_, user=voter, current=True)
    assert (ballot.position, ballot.rationale) == ("support", "It is clear.")
    event = AuditEvent.objects.get(action="ballot.email")
    assert event.data["via"] == "email"
    assert client.post(path).status_code == 409, "the link works once"


def test_a_reply_to_a_closed_round_gets_an_explanation(
    scene: Scene, smtp_port: int, mailoutbox: list[DjangoMail]
) -> None:
    voter = scene.person("academia")
    round_ = scene.open_round()
    announcement = mail_to(mailoutbox, voter, "consensus round is open")
    consensus.round_close(actor=scene.facilitator, round_=round_)

    send(smtp_port, reply(announcement, sender=voter.email, text="object\nToo late?"))

    message = InboundMessage.objects.get()
    assert message.status == InboundStatus.REJECTED
    answer = mail_to(mailoutbox, voter, "could not be used")
    assert "is closed" in str(answer.body)
    assert not Ballot.objects.filter(round=round_).exists()


def test_an_auto_reply_is_stored_and_ignored(
    scene: Scene, smtp_port: int, mailoutbox: list[DjangoMail]
) -> None:
    author, replier = scene.person("civil_society"), scene.person("academia")
    comment_thread(scene, author, replier)
    notification = mail_to(mailoutbox, author, "New reply")
    sent_before = len(mailoutbox)

    raw = reply(
        notification,
        sender=author.email,
        text="I am out of the office until Monday.",
        headers={"Auto-Submitted": "auto-replied"},
    )
    send(smtp_port, raw, sender=author.email)

    message = InboundMessage.objects.get()
    assert message.status == InboundStatus.IGNORED
    assert (
        bytes(message.raw).replace(b"\r\n", b"\n").rstrip() == raw.replace(b"\r\n", b"\n").rstrip()
    )
    assert Comment.objects.filter(author=author).count() == 1
    assert len(mailoutbox) == sent_before, "an auto-reply is never answered"


def test_a_message_whose_processing_raises_is_kept_and_the_sweep_processes_it_later(
    scene: Scene, smtp_port: int, mailoutbox: list[DjangoMail], monkeypatch: pytest.MonkeyPatch
) -> None:
    author, replier = scene.person("civil_society"), scene.person("academia")
    comment_thread(scene, author, replier)
    notification = mail_to(mailoutbox, author, "New reply")

    def broken(**kwargs: object) -> None:
        raise RuntimeError("the comment service is broken")

    monkeypatch.setattr(deliberation, "comment_create", broken)
    send(smtp_port, reply(notification, sender=author.email, text="Kept safe."))
    message = InboundMessage.objects.get()
    assert (message.status, message.attempts) == (InboundStatus.FAILED, 1)
    assert "comment service is broken" in message.error
    assert Comment.objects.filter(author=author).count() == 1

    monkeypatch.undo()  # the fix is deployed
    InboundMessage.objects.update(received_at=timezone.now() - timedelta(minutes=5))
    assert retry_inbound_messages() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.error) == (InboundStatus.PROCESSED, 2, "")
    assert Comment.objects.get(author=author, parent__isnull=False).body == "Kept safe."


def test_the_listener_refuses_other_domains_and_messages_past_the_hard_limit(
    smtp_port: int, settings: object
) -> None:
    with (
        smtplib.SMTP("127.0.0.1", smtp_port, timeout=30) as client,
        pytest.raises(smtplib.SMTPRecipientsRefused),
    ):
        client.sendmail("a@example.org", ["someone@example.net"], b"Subject: x\n\nhi\n")
    huge = b"Subject: big\nTo: reply+x.y@localhost\n\n" + b"x" * (11 * 1024 * 1024)
    with (
        smtplib.SMTP("127.0.0.1", smtp_port, timeout=60) as client,
        pytest.raises((smtplib.SMTPDataError, smtplib.SMTPSenderRefused)),
    ):
        client.sendmail("a@example.org", ["reply+x.y@localhost"], huge)
    assert not InboundMessage.objects.exists()


def test_every_notification_of_an_issue_is_in_one_mail_thread(
    scene: Scene, mailoutbox: list[DjangoMail]
) -> None:
    author, replier = scene.person("civil_society"), scene.person("academia")
    comment_thread(scene, author, replier)
    deliberation.version_publish(actor=scene.facilitator, proposal=scene.proposal, text="v2")
    scene.open_round()
    issue_root = f"<issue-{scene.proposal.issue_id}@localhost>"
    mails = [m for m in mailoutbox if m.to == [author.email]]
    assert len(mails) >= 3  # the reply, the new version, the open round
    for mail in mails:
        assert mail.extra_headers["In-Reply-To"] == issue_root
        assert mail.extra_headers["References"] == issue_root
        assert mail.extra_headers["Message-ID"].startswith("<notification-")
        assert reply_address(mail).startswith("reply+")
        assert "-- Reply above this line --" in str(mail.body)
        assert "Reply to this e-mail" in str(mail.body) or "one word on the first line" in str(
            mail.body
        )
    assert len({reply_address(m) for m in mails}) == len(mails), "one address per thread"
