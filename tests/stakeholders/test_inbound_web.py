"""The inbound webhook (secret, size, storage) and the e-mail settings page."""

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks
from pytest_django.fixtures import Settings

from stakeholders.inbound.models import InboundMessage, InboundStatus, MailPreference, ReplyKey
from stakeholders.inbound.tokens import reply_tokens
from stakeholders.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RAW = b"From: a@example.org\r\nTo: reply+ab.cd@localhost\r\nSubject: hi\r\n\r\nHello\r\n"


def _post(client: Client, body: bytes, secret: str = "s3cret", **headers: str) -> object:  # noqa: S107 - a test secret
    return client.post(
        "/inbound/email/",
        data=body,
        content_type="message/rfc822",
        headers={"X-Inbound-Secret": secret, **headers},
    )


def test_the_webhook_does_not_exist_without_a_secret(client: Client, settings: Settings) -> None:
    settings.INBOUND_WEBHOOK_SECRET = ""
    assert _post(client, RAW).status_code == 404  # type: ignore[attr-defined]
    assert not InboundMessage.objects.exists()


def test_the_webhook_stores_the_raw_message_with_the_right_secret_only(
    client: Client,
    settings: Settings,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.INBOUND_WEBHOOK_SECRET = "s3cret"
    assert _post(client, RAW, secret="wrong").status_code == 403  # type: ignore[attr-defined]
    assert _post(client, b"   ").status_code == 400  # type: ignore[attr-defined]
    with django_capture_on_commit_callbacks(execute=True):
        answer = _post(client, RAW, **{"X-Envelope-To": "reply+ab.cd@localhost"})
    assert answer.status_code == 202  # type: ignore[attr-defined]
    message = InboundMessage.objects.get()
    assert bytes(message.raw) == RAW
    assert message.source == "webhook"
    assert message.envelope_to == ["reply+ab.cd@localhost"]
    assert message.status == InboundStatus.REJECTED, "a forged address, answered"


def test_the_webhook_refuses_past_the_hard_limit(client: Client, settings: Settings) -> None:
    settings.INBOUND_WEBHOOK_SECRET = "s3cret"
    settings.INBOUND_HARD_MAX_BYTES = 1000
    assert _post(client, RAW + b"x" * 2000).status_code == 413  # type: ignore[attr-defined]
    assert not InboundMessage.objects.exists()


def test_a_person_opts_in_to_immediate_ballots_and_revokes_their_addresses(
    client: Client, user: User
) -> None:
    reply_tokens([(user.pk, "comment", 7), (user.pk, "round", 3)])
    client.force_login(user)
    page = client.get("/me/notifications/email/")
    assert page.status_code == 200
    assert b"immediate_ballots" in page.content
    answer = client.post("/me/notifications/email/", {"immediate_ballots": "on", "revoke": "on"})
    assert answer.status_code == 302
    assert MailPreference.objects.get(user=user).immediate_ballots is True
    assert not ReplyKey.objects.filter(user=user, revoked_at__isnull=True).exists()
    client.post("/me/notifications/email/", {})
    assert MailPreference.objects.get(user=user).immediate_ballots is False


def test_the_settings_page_needs_a_login(client: Client) -> None:
    assert client.get("/me/notifications/email/").status_code == 302


def test_the_retry_command_processes_waiting_mail_and_prints_it() -> None:
    from io import StringIO

    from django.core.management import call_command

    message = InboundMessage.objects.create(
        raw=RAW, size=len(RAW), source="smtp", envelope_from="a@example.org"
    )
    out = StringIO()
    call_command("retry_inbound_mail", stdout=out)
    message.refresh_from_db()
    assert message.status == InboundStatus.REJECTED
    assert f"inbound message {message.pk}: rejected" in out.getvalue()


@pytest.mark.parametrize("count", [3, 40])
def test_the_staff_page_lists_messages_in_constant_queries_and_retries_one(
    client: Client,
    admin_user: User,
    count: int,
    django_assert_max_num_queries: Callable[..., AbstractContextManager[object]],
) -> None:
    for index in range(count):
        InboundMessage.objects.create(
            raw=RAW,
            size=len(RAW),
            source="smtp",
            envelope_from="a@example.org",
            status=InboundStatus.FAILED if index == 0 else InboundStatus.PROCESSED,
            error="RuntimeError: boom" if index == 0 else "",
            user=UserFactory.create() if index % 2 else None,
        )
    client.force_login(admin_user)
    with django_assert_max_num_queries(8):
        page = client.get("/staff/inbound/")
    assert page.status_code == 200
    assert b"RuntimeError: boom" in page.content
    assert client.get("/staff/inbound/?status=failed").content.count(b"Retry now") == 1
    failed = InboundMessage.objects.get(status=InboundStatus.FAILED)
    assert client.post("/staff/inbound/", {"message": failed.pk}).status_code == 302
    failed.refresh_from_db()
    assert failed.status == InboundStatus.REJECTED


def test_the_staff_page_is_for_admins_only(client: Client, user: User) -> None:
    client.force_login(user)
    assert client.get("/staff/inbound/").status_code in (403, 404)
