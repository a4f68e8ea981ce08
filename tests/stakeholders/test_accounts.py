"""Accounts through allauth: mandatory e-mail verification, rate-limited login, password reset."""

import re

import pytest
from django.core import mail
from django.test import Client

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_signing_up_needs_the_email_verified_before_sign_in(client: Client) -> None:
    answer = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "password1": "an-unusual-passphrase",
            "password2": "an-unusual-passphrase",
        },
    )
    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/confirm-email/"
    assert len(mail.outbox) == 1
    assert not client.get("/me/profile/").wsgi_request.user.is_authenticated

    blocked = Client().post(
        "/accounts/login/", {"login": "new@example.org", "password": "an-unusual-passphrase"}
    )
    assert blocked["Location"] == "/accounts/confirm-email/"

    key = re.search(r"/accounts/confirm-email/([^/\s]+)/", str(mail.outbox[0].body))
    assert key is not None
    client.post(f"/accounts/confirm-email/{key.group(1)}/")
    assert client.get("/me/profile/").status_code == 200


def test_login_is_rate_limited(client: Client) -> None:
    user = UserFactory.create()
    for _ in range(5):
        client.post("/accounts/login/", {"login": user.email, "password": "wrong"})
    locked = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert locked.status_code == 200, "the right password does not get through while limited"
    assert "Too many failed login attempts" in locked.content.decode()
    assert not client.get("/me/profile/").wsgi_request.user.is_authenticated


def test_password_reset_sends_a_working_link(client: Client) -> None:
    user = UserFactory.create()
    client.post("/accounts/password/reset/", {"email": user.email})
    (message,) = mail.outbox
    link = re.search(r"/accounts/password/reset/key/\S+/", str(message.body))
    assert link is not None
    form = client.get(link.group(0), follow=True)
    assert form.status_code == 200
    answer = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link.group(0),
        {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"},
    )
    assert answer.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase")
