"""Bad input by e-mail is answered, never a crash, and the raw message is always kept; the same
rules as the web; ballots counted at once only for the opted-in and authenticated."""

from collections.abc import Callable

import pytest
from django.core.mail import EmailMessage as DjangoMail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoCaptureOnCommitCallbacks
from pytest_django.fixtures import Settings as SettingsWrapper

from consensus.models import Ballot, EmailBallot, EmailBallotConfirmation, EmailBallotState
from deliberation import services as deliberation
from deliberation.models import Comment
from stakeholders import services as stakeholders
from stakeholders.inbound import services, tokens
from stakeholders.inbound.models import InboundMessage, InboundStatus, MailPreference, ReplyKey
from tests.consensus.conftest import Scene, make_scene
from tests.factories import AffiliationFactory, UserFactory
from tests.stakeholders.mail_helpers import comment_thread, mail_to, reply, reply_address

pytestmark = pytest.mark.django_db

Receive = Callable[[bytes], InboundMessage]


@pytest.fixture
def scene() -> Scene:
    return make_scene()


@pytest.fixture
def receive(django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> Receive:
    """Store a message as the listener does and process it (its task and answer run on commit)."""

    def run(raw: bytes) -> InboundMessage:
        with django_capture_on_commit_callbacks(execute=True):
            message = services.inbound_store(raw=raw, source="smtp", envelope_from="x@example.org")
        message.refresh_from_db()
        assert bytes(message.raw) == raw, "the raw message is kept, whatever happens"
        return message

    return run


@pytest.fixture
def notified(
    scene: Scene,
    mailoutbox: list[DjangoMail],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> tuple[Scene, DjangoMail]:
    """The scene's civil-society member notified by e-mail of a reply to their comment."""
    with django_capture_on_commit_callbacks(execute=True):
        comment_thread(scene, scene.person("civil_society"), scene.person("academia"))
    return scene, mail_to(mailoutbox, scene.person("civil_society"), "New reply")


def _answer(outbox: list[DjangoMail], to: str) -> str:
    answers = [m for m in outbox if m.to == [to] and "could not be used" in m.subject]
    assert answers, [m.subject for m in outbox]
    assert answers[-1].extra_headers["Auto-Submitted"] == "auto-replied"
    return str(answers[-1].body)


def test_a_forged_token_is_refused_and_answered(
    notified: tuple[Scene, DjangoMail], receive: Receive, mailoutbox: list[DjangoMail]
) -> None:
    scene, mail = notified
    author = scene.person("civil_society")
    address = reply_address(mail)
    forged = address.replace("reply+", "reply+0").replace(".", "a.", 1)
    message = receive(reply(mail, sender=author.email, text="Hi", to=forged))
    assert message.status == InboundStatus.REJECTED
    assert "not one Footing gave out" in _answer(mailoutbox, author.email)
    assert Comment.objects.filter(author=author).count() == 1


def test_another_persons_token_is_refused_without_naming_them(
    notified: tuple[Scene, DjangoMail], receive: Receive, mailoutbox: list[DjangoMail]
) -> None:
    scene, mail = notified
    intruder = scene.person("government")
    message = receive(reply(mail, sender=intruder.email, text="Posting as someone else"))
    assert message.status == InboundStatus.REJECTED
    body = _answer(mailoutbox, intruder.email)
    assert "given to another person" in body
    assert scene.person("civil_society").email not in body
    assert not Comment.objects.filter(body__contains="someone else").exists()


def test_a_revoked_address_is_refused(
    notified: tuple[Scene, DjangoMail], receive: Receive, mailoutbox: list[DjangoMail]
) -> None:
    scene, mail = notified
    author = scene.person("civil_society")
    assert services.reply_keys_revoke(actor=author) == 1
    message = receive(reply(mail, sender=author.email, text="Late"))
    assert message.status == InboundStatus.REJECTED
    assert "revoked" in _answer(mailoutbox, author.email)
    # The next notification brings a new, live address for the same thread.
    assert tokens.reply_tokens([(author.pk, "comment", 1)])
    assert ReplyKey.objects.filter(user=author, revoked_at__isnull=True).count() == 1


def test_an_oversized_message_is_kept_but_not_used(
    notified: tuple[Scene, DjangoMail],
    receive: Receive,
    mailoutbox: list[DjangoMail],
    settings: SettingsWrapper,
) -> None:
    scene, mail = notified
    settings.INBOUND_MAX_BYTES = 4000
    author = scene.person("civil_society")
    message = receive(reply(mail, sender=author.email, text="long " * 2000))
    assert message.status == InboundStatus.REJECTED
    assert message.size > 4000
    assert "too large" in _answer(mailoutbox, author.email)


def test_a_non_utf8_body_is_decoded_into_the_comment(
    notified: tuple[Scene, DjangoMail], receive: Receive
) -> None:
    scene, mail = notified
    author = scene.person("civil_society")
    raw = (
        f"From: {author.email}\r\nTo: {reply_address(mail)}\r\nSubject: Re\r\n"
        'Content-Type: text/plain; charset="windows-1252"\r\n'
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode() + "Très bien — ça me convient.\r\n".encode("cp1252")
    message = receive(raw)
    assert message.status == InboundStatus.PROCESSED, message.outcome
    assert Comment.objects.get(author=author, parent__isnull=False).body == (
        "Très bien — ça me convient."
    )


def test_an_html_only_body_becomes_a_markdown_comment(
    notified: tuple[Scene, DjangoMail], receive: Receive
) -> None:
    scene, mail = notified
    author = scene.person("civil_society")
    html = (
        "<p>I <em>agree</em>.</p><div class='gmail_quote'>On Tue, 1 Dec 2026 at 10:00, Footing"
        " &lt;noreply@footing.local&gt; wrote:<blockquote>the old text</blockquote></div>"
    )
    message = receive(reply(mail, sender=author.email, text="", html=html))
    assert message.status == InboundStatus.PROCESSED, message.outcome
    assert Comment.objects.get(author=author, parent__isnull=False).body == "I _agree_."


def test_a_non_member_gets_the_webs_reason(
    scene: Scene,
    receive: Receive,
    mailoutbox: list[DjangoMail],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    author, replier = scene.person("civil_society"), scene.person("academia")
    with django_capture_on_commit_callbacks(execute=True):
        comment_thread(scene, author, replier)
    mail = mail_to(mailoutbox, author, "New reply")
    scene.process.participations.filter(user=author).delete()  # left the process since
    message = receive(reply(mail, sender=author.email, text="Still here?"))
    assert message.status == InboundStatus.REJECTED
    assert "Only members of the process" in _answer(mailoutbox, author.email)


def test_a_message_to_no_reply_address_is_answered_once_and_unknown_senders_are_capped(
    receive: Receive, mailoutbox: list[DjangoMail], settings: SettingsWrapper
) -> None:
    settings.INBOUND_ANSWERS_PER_HOUR = 2
    raw = b"From: stranger@example.net\r\nTo: hello@localhost\r\nSubject: hi\r\n\r\nHello?\r\n"
    statuses = [receive(raw).status for _ in range(4)]
    assert statuses == [InboundStatus.REJECTED] * 4
    assert len([m for m in mailoutbox if m.to == ["stranger@example.net"]]) == 2


def test_ballots_count_at_once_only_for_the_opted_in_with_our_servers_pass(
    scene: Scene,
    receive: Receive,
    mailoutbox: list[DjangoMail],
    settings: SettingsWrapper,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.INBOUND_AUTHSERV_ID = "mx.footing.test"
    voter = UserFactory.create(email="voter@example.org")
    scene.people.setdefault("academia", []).append(voter)
    AffiliationFactory.create(user=voter, primary=True, stakeholder_group="academia")
    deliberation.participation_join(actor=voter, process=scene.process)
    with django_capture_on_commit_callbacks(execute=True):
        round_ = scene.open_round()
    mail = mail_to(mailoutbox, voter, "consensus round is open")
    passed = {"Authentication-Results": "mx.footing.test; dkim=pass header.d=example.org"}
    forged = {"Authentication-Results": "mx.evil.test; dkim=pass header.d=example.org"}

    receive(reply(mail, sender=voter.email, text="accept\nFine.", headers=passed))
    assert EmailBallot.objects.get().state == EmailBallotState.PENDING, "not opted in yet"

    MailPreference.objects.create(user=voter, immediate_ballots=True)
    receive(reply(mail, sender=voter.email, text="abstain", headers=forged))
    assert EmailBallot.objects.filter(state=EmailBallotState.PENDING).count() == 1
    assert not Ballot.objects.filter(round=round_).exists()

    receive(reply(mail, sender=voter.email, text="support\nClear.", headers=passed))
    counted = EmailBallot.objects.get(state=EmailBallotState.CONFIRMED)
    assert counted.confirmed_by == EmailBallotConfirmation.AUTHENTICATED
    assert counted.ballot is not None
    assert (counted.ballot.position, counted.ballot.rationale) == ("support", "Clear.")
    assert EmailBallot.objects.filter(state=EmailBallotState.SUPERSEDED).count() == 2


def test_an_unreadable_ballot_and_an_objection_without_reasons_are_explained(
    scene: Scene,
    receive: Receive,
    mailoutbox: list[DjangoMail],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    voter = scene.person("government")
    with django_capture_on_commit_callbacks(execute=True):
        scene.open_round()
    mail = mail_to(mailoutbox, voter, "consensus round is open")
    assert receive(reply(mail, sender=voter.email, text="maybe?")).status == "rejected"
    assert "could not be read" in _answer(mailoutbox, voter.email)
    assert receive(reply(mail, sender=voter.email, text="OBJECT")).status == "rejected"
    assert "needs a rationale" in _answer(mailoutbox, voter.email)
    assert not EmailBallot.objects.exists()


def test_a_confirmation_link_that_was_altered_is_not_found(client: Client) -> None:
    assert client.get("/mail/ballots/not-a-token/").status_code == 404
    assert client.post("/mail/ballots/not-a-token/").status_code == 404


def test_the_mail_batch_costs_the_same_queries_for_more_notifications(scene: Scene) -> None:
    """Threads and reply keys are read and written per batch, never per notification."""

    def cost(people: int) -> int:
        users = UserFactory.create_batch(people)
        url = scene.proposal.issue.get_absolute_url()
        version_url = scene.proposal.versions.get().get_absolute_url()
        notes = stakeholders.notifications_send(
            kind="reply",
            messages=[
                stakeholders.Message(
                    u.pk, "t", url=f"{url}#comment-{u.pk}" if i % 2 else version_url
                )
                for i, u in enumerate(users)
            ],
        )
        with CaptureQueriesContext(connection) as queries:
            assert stakeholders.notification_mails_send(notification_ids=[n.pk for n in notes])
        return len(queries)

    assert cost(4) == cost(40)


def test_a_reply_to_a_new_version_is_a_comment_on_that_version(
    scene: Scene,
    receive: Receive,
    mailoutbox: list[DjangoMail],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    reader = scene.person("academia")
    with django_capture_on_commit_callbacks(execute=True):
        version = deliberation.version_publish(
            actor=scene.facilitator, proposal=scene.proposal, text="v2", change_summary="Shorter"
        )
    mail = mail_to(mailoutbox, reader, "Version 2")
    message = receive(reply(mail, sender=reader.email, text="Better, thanks."))
    assert message.status == InboundStatus.PROCESSED, message.outcome
    comment = Comment.objects.get(author=reader)
    assert (comment.version, comment.parent, comment.body) == (version, None, "Better, thanks.")
