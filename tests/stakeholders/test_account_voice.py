"""The accounts pages and e-mails speak in Footing's voice, and name the site, not the server."""

import re

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

pytestmark = pytest.mark.django_db


def test_signing_up_sends_a_footing_e_mail_and_confirming_lands_home(
    client: Client, mailoutbox: list
) -> None:
    answer = client.post(
        "/accounts/signup/",
        {
            "email": "newcomer@example.net",
            "password1": "a long enough pass phrase 42",
            "password2": "a long enough pass phrase 42",
        },
    )
    assert answer.status_code == 302
    message = mailoutbox[-1]
    assert message.subject.endswith("Confirm your e-mail address for Footing")
    assert message.body.startswith("Hello from Footing,")
    assert "127.0.0.1" not in message.body.split("http")[0]
    link = re.search(r"(/accounts/confirm-email/[^\s]+)", message.body)
    assert link is not None
    page = client.get(link.group(1)).content.decode()
    assert "Yes, this is my address" in page
    assert "is an email address for user" not in page
    confirmed = client.post(link.group(1))
    assert confirmed.status_code == 302 and confirmed["Location"] == "/me/"


def test_account_e_mails_name_the_site_as_configured(
    client: Client, mailoutbox: list, settings: Settings
) -> None:
    settings.SITE_NAME = "IGF Commons"
    client.post(
        "/accounts/signup/",
        {
            "email": "newcomer@example.net",
            "password1": "a long enough pass phrase 42",
            "password2": "a long enough pass phrase 42",
        },
    )
    message = mailoutbox[-1]
    assert message.subject.endswith("Confirm your e-mail address for IGF Commons")
    assert message.body.startswith("Hello from IGF Commons,")
    assert "signed up to IGF Commons with this e-mail address" in message.body
    assert message.body.rstrip().endswith(
        "IGF Commons — deliberation on an equal footing, seeking rough consensus."
    )
