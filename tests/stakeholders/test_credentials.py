"""Credentials never outlive what should end them: tokens die with a password change or reset and
with two-factor enrolment or removal; sessions from before an enrolment end."""

from collections.abc import Callable

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.test import Client
from pytest_django.fixtures import Settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from stakeholders.models import User
from tests.factories import PASSWORD, UserFactory, enrol_totp
from tests.stakeholders.test_api import _current_code

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], APIClient]
NEW_PASSWORD = "a brand new passphrase 42"


def _token_works(client: APIClient) -> bool:
    return client.get("/api/v1/stakeholders/me/").status_code == 200


def test_a_password_change_revokes_the_tokens(client_for: ClientFor, user: User) -> None:
    api = client_for(user)
    assert _token_works(api)
    web = Client()
    web.force_login(user)
    changed = web.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert not _token_works(api)
    assert not Token.objects.filter(user=user).exists()


def test_a_password_reset_revokes_the_tokens(client_for: ClientFor, user: User) -> None:
    api = client_for(user)
    web = Client()
    web.post("/accounts/password/reset/", {"email": user.email})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/reset/key/" in line)
    form = web.get(link.strip(), follow=True)
    web.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link.strip(),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not _token_works(api)


def test_setting_up_two_factor_revokes_tokens_and_the_new_token_needs_the_code(
    client_for: ClientFor, settings: Settings
) -> None:
    settings.REQUIRE_STAFF_MFA = True
    facilitator = UserFactory.create(is_facilitator=True)
    before = client_for(facilitator)
    old_key = Token.objects.get(user=facilitator).key
    authenticator = enrol_totp(facilitator)
    assert not _token_works(before)
    credentials = {"email": facilitator.email, "password": PASSWORD}
    anonymous = APIClient()
    assert anonymous.post("/api/v1/auth/token/", credentials, format="json").status_code == 400
    fresh = anonymous.post(
        "/api/v1/auth/token/",
        {**credentials, "otp": _current_code(authenticator)},
        format="json",
    )
    assert fresh.status_code == 200
    assert fresh.json()["token"] != old_key


def test_removing_two_factor_revokes_the_tokens(client_for: ClientFor, user: User) -> None:
    enrol_totp(user)
    api = client_for(user)
    assert _token_works(api)
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    assert not _token_works(api)


@pytest.mark.django_db(transaction=True)  # allauth signals the enrolment once it commits
def test_enrolment_ends_older_sessions_and_rotates_the_enrolling_one(settings: Settings) -> None:
    settings.REQUIRE_STAFF_MFA = True
    admin = UserFactory.create(is_staff=True)
    stolen, own = Client(), Client()
    for client in (stolen, own):
        signed_in = client.post("/accounts/login/", {"login": admin.email, "password": PASSWORD})
        assert signed_in.status_code == 302
    assert stolen.get("/staff/roles/").status_code == 302  # sent to set up two-factor first
    key_before = own.session.session_key
    assert own.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    assert own.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = own.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, next(iter(yield_hotp_counters_from_time()))))
    activated = own.post("/accounts/2fa/totp/activate/", {"code": code})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists()
    assert own.session.session_key != key_before
    assert own.get("/staff/roles/").status_code == 200
    # The session opened before enrolment never proved the second factor: it has ended.
    assert stolen.get("/staff/roles/").status_code == 302
    assert "_auth_user_id" not in stolen.session
