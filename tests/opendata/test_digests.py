"""Digest e-mail: choosing a frequency and kinds, batches sent by the beat task in the person's
language with text and HTML, one-click unsubscribe (RFC 8058) that needs no login, and a tampered
link that changes nothing."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stakeholders import services
from stakeholders.models import Notification, User
from stakeholders.subscriptions import services as subscriptions
from stakeholders.subscriptions.models import DigestFrequency, DigestPreference
from stakeholders.tasks import send_digests
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Capture = Callable[..., Any]


def notify(user: User, capture: Capture, kind: str = "reply", n: int = 2) -> None:
    with capture(execute=True):
        for i in range(n):
            services.notification_send(user=user, kind=kind, title=f"Reply {i}", url="/x/")


def test_weekly_people_get_one_digest_not_one_mail_each(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    person = UserFactory.create(languages=["fr"])
    client = Client()
    client.force_login(person)
    answer = client.post("/me/following/", {"frequency": "weekly", "kinds": ["reply"]})
    assert answer.status_code == 302
    notify(person, django_capture_on_commit_callbacks)
    notify(person, django_capture_on_commit_callbacks, kind="round", n=1)
    assert mail.outbox == []
    assert send_digests() == 1
    [message] = mail.outbox
    assert message.to == [person.email]
    assert "Reply 0" in message.body
    assert "Reply 1" in message.body
    assert isinstance(message, EmailMultiAlternatives)
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    assert '<html lang="fr">' in str(html)
    # The person's language (a sentence the catalogue already translates).
    assert "Se désabonner de tous les courriels de notification :" in str(message.body)
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/unsubscribe/" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not Notification.objects.filter(user=person, emailed_at__isnull=True).exists()
    # Not due again within the week, and nothing left to send.
    assert send_digests() == 0
    later = timezone.now() + timedelta(days=7)
    notify(person, django_capture_on_commit_callbacks, n=1)
    assert subscriptions.digests_send(user_ids=subscriptions.digest_due_ids(now=later)) == 1


def test_immediate_mail_carries_one_click_unsubscribe(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    person = UserFactory.create()
    notify(person, django_capture_on_commit_callbacks, n=1)
    [message] = mail.outbox
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    path = url.split("://", 1)[1].split("/", 1)[1]
    one_click = Client(enforce_csrf_checks=True)
    answer = one_click.post(
        f"/{path}", "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert answer.status_code == 200
    assert answer.content == b"Unsubscribed."
    assert DigestPreference.objects.get(user=person).frequency == DigestFrequency.NEVER
    mail.outbox.clear()
    notify(person, django_capture_on_commit_callbacks, n=1)
    assert mail.outbox == []
    assert Notification.objects.filter(user=person).count() == 2


def test_unsubscribe_page_asks_first_and_a_tampered_link_changes_nothing() -> None:
    person = UserFactory.create()
    subscriptions.digest_preference_save(actor=person, frequency=DigestFrequency.DAILY)
    token = subscriptions.unsubscribe_token(person)
    page = Client().get(f"/unsubscribe/{token}/")
    assert page.status_code == 200
    assert DigestPreference.objects.get(user=person).frequency == DigestFrequency.DAILY
    tampered = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    for method in ("get", "post"):
        answer = getattr(Client(), method)(f"/unsubscribe/{tampered}/")
        assert answer.status_code == 400
        assert "not valid" in answer.content.decode()
    assert DigestPreference.objects.get(user=person).frequency == DigestFrequency.DAILY
    done = Client().post(f"/unsubscribe/{token}/", follow=True)
    assert "gets no more notification e-mail" in done.content.decode()
    assert DigestPreference.objects.get(user=person).frequency == DigestFrequency.NEVER


def test_bad_digest_choices_are_refused() -> None:
    person = UserFactory.create()
    client = Client()
    client.force_login(person)
    assert client.post("/me/following/", {"frequency": "hourly"}).status_code == 400
    api = client.put(
        "/api/v1/stakeholders/me/digest/",
        {"frequency": "daily", "kinds": ["nonsense"]},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert "detail" in api.json()
    ok = client.put(
        "/api/v1/stakeholders/me/digest/",
        {"frequency": "daily", "kinds": ["reply"]},
        content_type="application/json",
    )
    assert ok.json() == {"frequency": "daily", "kinds": ["reply"]}
    assert client.get("/api/v1/stakeholders/me/digest/").json()["frequency"] == "daily"


def _batch(people: int, capture: Capture) -> int:
    users = UserFactory.create_batch(people)
    for user in users:
        subscriptions.digest_preference_save(actor=user, frequency=DigestFrequency.DAILY)
        notify(user, capture, n=2)
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as queries:
        assert send_digests() == people
    assert len(mail.outbox) == people
    DigestPreference.objects.all().delete()
    return len(queries)


def test_digest_batches_take_constant_queries(django_capture_on_commit_callbacks: Capture) -> None:
    assert _batch(3, django_capture_on_commit_callbacks) == _batch(
        12, django_capture_on_commit_callbacks
    )
