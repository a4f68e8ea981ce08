"""Titles and names stay on one line (they become e-mail subjects), and a notification whose
title still holds a line break is mailed with a one-line subject instead of failing forever."""

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends import locmem
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from stakeholders import services
from stakeholders.models import Notification, User
from stakeholders.tasks import send_pending_notification_mail
from tests.factories import ProcessFactory, UserFactory

pytestmark = pytest.mark.django_db
INJECTED = "Agenda\r\nBcc: everyone@example.org"


def test_titles_with_line_breaks_are_refused_by_the_api() -> None:
    facilitator = UserFactory.create(is_facilitator=True)
    api = APIClient()
    api.force_authenticate(facilitator)
    created = api.post("/api/v1/processes/", {"title": INJECTED}, format="json")
    assert created.status_code == 400
    assert "one line" in created.json()["detail"]
    process = ProcessFactory.create(created_by=facilitator)
    issue = api.post(
        "/api/v1/issues/", {"process": process.slug, "title": INJECTED, "body": "x"}, format="json"
    )
    assert issue.status_code in (400, 403)
    hat = api.post(
        "/api/v1/affiliations/",
        {"organisation": INJECTED, "stakeholder_group": "academia"},
        format="json",
    )
    assert hat.status_code == 400


def test_titles_with_line_breaks_are_refused_by_the_pages() -> None:
    web = Client()
    web.force_login(UserFactory.create(is_facilitator=True))
    answer = web.post(
        "/processes/new/",
        {"title": INJECTED, "slug": "agenda", "expected_groups": ["academia"],
         "visibility": "public", "status": "open"},
    )  # fmt: skip
    assert answer.status_code == 200
    assert "Write this on one line." in answer.content.decode()


def test_a_stored_title_with_a_line_break_is_mailed_on_one_line(
    user: User, settings: Settings, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.notification_send(user=user, kind="reply", title=f"New reply in {INJECTED}")
    assert sent is not None
    assert "\n" not in sent.title
    legacy = Notification.objects.create(user=user, kind="reply", title=INJECTED, email_wanted=True)
    assert services.notification_mail_send(notification_id=legacy.pk)
    assert [m.subject for m in mail.outbox] == [
        "[Footing] New reply in Agenda Bcc: everyone@example.org",
        "[Footing] Agenda Bcc: everyone@example.org",
    ]


def test_one_unsendable_message_never_stops_the_sweep(
    user: User, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    an_hour_ago = timezone.now() - timedelta(hours=1)
    bad, good = (
        Notification.objects.create(
            user=UserFactory.create(),
            kind="reply",
            title=title,
            email_wanted=True,
            created_at=an_hour_ago,
        )
        for title in ("refused", "fine")
    )
    real = locmem.EmailBackend.send_messages

    def flaky(backend: locmem.EmailBackend, messages: Sequence[EmailMessage]) -> int:
        if any("refused" in message.subject for message in messages):
            raise ConnectionRefusedError("the mail server hung up")
        return real(backend, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", flaky)
    assert send_pending_notification_mail() == 1
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.emailed_at is not None and bad.emailed_at is None
