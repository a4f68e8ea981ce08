"""The input guard, everywhere: a NUL byte in a path, query, header or form field, JSON nested too
deeply and oversized bodies get a 4xx (JSON under /api/), never a 500 — on every route the URL
inventory and the OpenAPI schema list, so a new route is covered the day it is added."""

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from stakeholders.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NUL = "a\x00b"
WRITES = ("post", "put", "patch")


def _schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in _schema()["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def _web_routes() -> Iterator[str]:
    """Every page's path pattern (the API and the Django admin aside), params as {name}."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route

    for route in walk(get_resolver().url_patterns, "/"):
        if not route.startswith(("/api/", "/django-admin/")) and "^" not in route:
            yield re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def _fill(path: str, value: str) -> str:
    return re.sub(r"\{\w+\}", value, path)


@pytest.fixture
def admin() -> APIClient:
    client = APIClient()
    client.force_authenticate(UserFactory.create(is_staff=True, is_facilitator=True))
    return client


def test_a_nul_in_any_query_parameter_of_the_api_is_a_400(admin: APIClient) -> None:
    checked = 0
    for path, method, operation in _operations():
        if method != "get":
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            answer = admin.get(_fill(path, "1"), {parameter["name"]: NUL})
            assert answer.status_code == 400, (path, parameter["name"], answer.status_code)
            assert "NUL" in answer.json()["detail"]
            checked += 1
    assert checked >= 15


def test_a_nul_in_any_path_parameter_of_the_api_is_a_400(admin: APIClient) -> None:
    checked = 0
    for path, method, _operation in _operations():
        if "{" in path:
            answer = getattr(admin, method)(_fill(path, "a%00b"))
            assert answer.status_code == 400, (method, path, answer.status_code)
            assert answer["Content-Type"] == "application/json"
            checked += 1
    assert checked >= 40


def test_a_nul_in_any_page_query_or_path_is_a_400() -> None:
    client = Client()
    client.force_login(UserFactory.create())
    routes = list(_web_routes())
    assert len(routes) >= 60
    for route in routes:
        answer = client.get(_fill(route, "1"), {"q": NUL, "process": NUL, "page": NUL})
        assert answer.status_code == 400, (route, answer.status_code)
    assert client.get("/report/a%00b/1/").status_code == 400
    assert client.get("/processes/", HTTP_REFERER="https://x\x00y").status_code == 400


def test_a_nul_in_a_form_field_is_a_400_before_any_view(user: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    answer = client.post("/me/profile/", {"display_name": NUL})
    assert answer.status_code == 400
    assert "NUL" in answer.content.decode()
    api = APIClient()
    api.force_authenticate(user)
    as_form = api.patch("/api/v1/stakeholders/me/", {"display_name": NUL}, format="multipart")
    assert as_form.status_code == 400
    assert (
        api.patch("/api/v1/stakeholders/me/", {"display_name": NUL}, format="json").status_code
        == 400
    )


def test_json_nested_too_deeply_is_a_400_on_every_write(admin: APIClient) -> None:
    deep = "[" * 50_000 + "]" * 50_000
    nested = (
        json.dumps({"title": "x", "body": "[" * 40 + "]" * 40})
        .replace('"[', "[")
        .replace(']"', "]")
    )
    checked = 0
    for path, method, operation in _operations():
        if method in WRITES and "{" not in path and path != "/api/v1/auth/token/":
            for body in (deep, nested):
                answer = getattr(admin, method)(path, body, content_type="application/json")
                if "requestBody" not in operation:  # it reads no body: nothing to refuse
                    assert answer.status_code < 500, (method, path, answer.status_code)
                    continue
                assert answer.status_code == 400, (method, path, answer.status_code)
                assert "nested too deeply" in answer.json()["detail"]
                checked += 1
    assert checked >= 20


def test_oversized_bodies_get_413_as_json_from_the_api_and_a_page_elsewhere(
    admin: APIClient,
) -> None:
    body = "x" * (10 * 1024 * 1024)
    api = admin.post("/api/v1/comments/", body, content_type="application/json")
    assert api.status_code == 413
    assert api["Content-Type"] == "application/json"
    assert "too large" in api.json()["detail"]
    page = Client().post("/accounts/login/", body, content_type="application/x-www-form-urlencoded")
    assert page.status_code == 413
    assert "too large" in page.content.decode()


def test_the_api_answers_json_even_where_django_answers(admin: APIClient) -> None:
    missing = APIClient().get("/api/v1/no-such-thing/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not found."}
