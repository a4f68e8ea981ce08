"""The accounts pages and e-mails speak in Footing's voice, and name the site, not the server."""

import re

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from stakeholders.models import User
from tests.factories import PASSWORD, TOTP_SECRET, UserFactory, enrol_totp

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


# What allauth's own templates say; none of it may show on Footing's account pages.
ALLAUTH_PHRASES = (
    "Menu:",
    "Sign In",
    "Sign Up",
    "Sign Out",
    "Signup",
    "Password Reset",
    "Change Password",
    "Email Addresses",
    "Verify Your Email Address",
    "Confirm Access",
    "Two-Factor Authentication",
    "Authenticator App",
    "Recovery Codes",
    "If you have not created an account yet",
    "Already have an account? Then please",
    "Forgotten your password? Enter your email address below",
    "Forgot your password?",
    "Please contact us",
    "We have sent an email to you for verification",
    "Are you sure you want to sign out?",
    "Bad Token",
    "Please reauthenticate to safeguard your account",
    "Please enter an authenticator code",
    "scan the QR code below",
    "You are about to deactivate",
    "You are about to generate a new set of recovery codes",
    "Make Primary",
    "Re-send Verification",
)


def _footing_page(client: Client, url: str, wording: str) -> None:
    answer = client.get(url, follow=True)
    assert answer.status_code == 200, (url, answer.status_code)
    page = answer.content.decode()
    assert wording in page, url
    assert 'class="site-header"' in page, f"{url} is not in Footing's layout"
    assert [phrase for phrase in ALLAUTH_PHRASES if phrase in page] == [], url


@pytest.mark.parametrize(
    ("name", "wording"),
    [
        ("account_login", "Sign in to Footing"),
        ("account_signup", "Create your Footing account"),
        ("account_reset_password", "We will send it a link"),
        ("account_reset_password_done", "a message with a link to choose a new password"),
        ("account_email_verification_sent", "One more step: confirm your e-mail address"),
        ("account_reset_password_from_key_done", "From now on, sign in with your new password."),
        ("account_inactive", "You cannot sign in with this account any more."),
    ],
)
def test_the_entrance_pages_speak_footing(client: Client, name: str, wording: str) -> None:
    _footing_page(client, reverse(name), wording)


def test_a_spent_password_link_says_what_to_do(client: Client) -> None:
    url = reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "spent"})
    _footing_page(client, url, "Ask for a new link")


def _signed_in(client: Client, user: User) -> None:
    answer = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert answer.status_code == 302


def _reauthenticated(client: Client) -> None:
    """Changing two-factor settings asks for the password again (allauth's reauthentication)."""
    answer = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert answer.status_code == 302


@pytest.mark.parametrize(
    ("name", "wording"),
    [
        ("account_logout", "Sign out of Footing?"),
        ("account_change_password", "Type your current password, then the new one twice."),
        ("account_email", "Footing writes to the primary one"),
        ("account_reauthenticate", "we check once more that it is you"),
        ("mfa_index", "a stolen password alone does not open your account"),
        ("mfa_activate_totp", "In the app, add an account by scanning this QR code."),
    ],
)
def test_the_account_pages_speak_footing(client: Client, name: str, wording: str) -> None:
    _signed_in(client, UserFactory.create())
    if name == "mfa_activate_totp":
        _reauthenticated(client)
    _footing_page(client, reverse(name), wording)


def test_the_two_factor_pages_speak_footing(client: Client) -> None:
    user = UserFactory.create()
    enrol_totp(user)
    RecoveryCodes.activate(user)
    _signed_in(client, user)
    _footing_page(client, reverse("mfa_authenticate"), "Your code, please")
    code = format_hotp_value(hotp_value(TOTP_SECRET, next(iter(yield_hotp_counters_from_time()))))
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    _footing_page(client, reverse("mfa_index"), "unused recovery codes")
    _reauthenticated(client)
    _footing_page(client, reverse("mfa_deactivate_totp"), "Turn off two-factor authentication?")
    _footing_page(client, reverse("mfa_view_recovery_codes"), "keep them somewhere safe")
    _footing_page(client, reverse("mfa_generate_recovery_codes"), "Your current codes stop working")
    _footing_page(client, reverse("mfa_reauthenticate"), "Confirm with my code")


def test_account_e_mails_name_footing(client: Client, mailoutbox: list) -> None:
    user = UserFactory.create()
    client.post(reverse("account_reset_password"), {"email": user.email})
    client.post(reverse("account_reset_password"), {"email": "nobody@example.net"})
    client.post(
        reverse("account_signup"),
        {"email": user.email, "password1": "a long enough pass", "password2": "a long enough pass"},
    )
    subjects = [message.subject for message in mailoutbox]
    assert subjects == [
        "[Footing] Choose a new password for Footing",
        "[Footing] No Footing account uses this address",
        "[Footing] You already have a Footing account",
    ]
    for message in mailoutbox:
        assert message.body.startswith("Hello from Footing,")
        assert "Hello from" not in message.body.split("\n", 1)[1]
        assert "Thank you for using" not in message.body
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    assert "/accounts/signup/" in mailoutbox[1].body


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
