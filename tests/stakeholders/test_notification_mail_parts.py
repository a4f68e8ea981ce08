"""A notification's e-mail has a plain-text part and the same in HTML, in the person's language."""

from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from pytest_django.fixtures import Settings

from stakeholders import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_mail_has_text_and_html_with_the_link_and_the_unsubscribe_link(
    settings: Settings, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    person = UserFactory.create(languages=["fr"])
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_send(
            user=person,
            kind="reply",
            title="New reply <b>here</b>",
            body="Line one\nLine <script>two</script>",
            url="/processes/p/issues/1/",
        )
    (message,) = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    assert "Line one" in message.body and "/processes/p/issues/1/" in message.body
    ((content, kind),) = message.alternatives
    html = str(content)
    assert kind == "text/html"
    assert '<html lang="fr">' in html
    assert "New reply &lt;b&gt;here&lt;/b&gt;" in html
    assert "Line one<br>Line &lt;script&gt;two&lt;/script&gt;" in html
    assert f'href="{settings.SITE_URL}/processes/p/issues/1/"' in html
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert f'href="{unsubscribe}"' in html
