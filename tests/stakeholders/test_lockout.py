"""Throttles count per address the server trusts, never per client-supplied X-Forwarded-For, and a
per-account lockout is shared by the web login and the token endpoint."""

from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from stakeholders.models import User
from tests.factories import PASSWORD, enrol_totp

pytestmark = pytest.mark.django_db
TOKEN = "/api/v1/auth/token/"


def _ask(client: APIClient, user: User, password: str, forwarded: str = "", **extra: str) -> int:
    headers: dict[str, Any] = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    answer = client.post(
        TOKEN, {"email": user.email, "password": password, **extra}, format="json", **headers
    )
    return int(answer.status_code)


def test_rotating_x_forwarded_for_does_not_escape_the_token_throttle(
    settings: Settings, django_user_model: type[User]
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "20/min"},
    }
    client = APIClient()
    people = [django_user_model.objects.create_user(f"p{n}@example.org") for n in range(25)]
    codes = [
        _ask(client, person, "wrong", forwarded=f"203.0.113.{n}") for n, person in enumerate(people)
    ]
    # The per-address limits (the API's 20 a minute, the login's 10 failures a minute) hold.
    assert codes.count(400) <= 10
    assert codes[-15:] == [429] * 15


def test_behind_a_trusted_proxy_the_address_it_appended_counts(
    settings: Settings, django_user_model: type[User]
) -> None:
    settings.TRUSTED_PROXY_HOPS = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    client = APIClient()
    people = [django_user_model.objects.create_user(f"p{n}@example.org") for n in range(12)]
    # The client makes up the first entry; our proxy appended the real address last. The
    # sign-in failures of one address (10 a minute) are counted whatever the client claims.
    same_client = [
        _ask(client, person, "x", forwarded=f"10.0.0.{n}, 198.51.100.7")
        for n, person in enumerate(people[:11])
    ]
    assert same_client == [400] * 10 + [429]
    assert _ask(client, people[11], "x", forwarded="10.0.0.1, 198.51.100.8") == 400


def test_wrong_passwords_through_the_api_lock_the_account_for_the_web_too(user: User) -> None:
    client = APIClient()
    assert [_ask(client, user, "wrong", forwarded=f"203.0.113.{n}") for n in range(5)] == [400] * 5
    assert _ask(client, user, PASSWORD) == 429
    web = Client().post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert web.status_code == 200  # the form again, with the lockout message
    assert "_auth_user_id" not in web.wsgi_request.session


def test_wrong_passwords_on_the_web_lock_the_token_endpoint(user: User) -> None:
    web = Client()
    for _ in range(5):
        web.post("/accounts/login/", {"login": user.email, "password": "wrong"})
    assert _ask(APIClient(), user, PASSWORD) == 429


def test_wrong_codes_count_against_the_account_too(user: User) -> None:
    enrol_totp(user)
    client = APIClient()
    codes = [_ask(client, user, PASSWORD, otp="000000") for _ in range(6)]
    assert codes == [400] * 5 + [429]
