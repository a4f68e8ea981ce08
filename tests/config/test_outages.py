"""Backing-service outages answer 503, never 500; login rate limiting fails closed without Redis."""

import socket

import pytest
from django.db import OperationalError
from django.test import Client
from pytest_django.fixtures import Settings

from stakeholders import selectors

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_database_errors_become_503_on_pages_and_api(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(**_kwargs: object) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(selectors, "stakeholder_directory", down)
    page = client.get("/stakeholders/")
    assert page.status_code == 503
    assert "Temporarily unavailable" in page.content.decode()
    api = client.get("/api/v1/stakeholders/")
    assert api.status_code == 503
    assert "unavailable" in api.json()["detail"]
    assert api["Retry-After"] == "30"


def test_login_fails_closed_when_redis_is_down(
    client: Client, user: object, settings: Settings
) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    answer = client.post(
        "/accounts/login/", {"login": "person@example.org", "password": "whatever"}
    )
    assert answer.status_code == 503


def test_reading_works_without_redis(client: Client, settings: Settings) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    for url in ("/", "/stakeholders/", "/record/", "/api/v1/stakeholders/"):
        assert client.get(url).status_code == 200, url
