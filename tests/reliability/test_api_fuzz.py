"""The API fuzzed from its own OpenAPI schema: no 5xx, and no answer that breaks the schema."""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from config.wsgi import application
from consensus import services
from tests.consensus.conftest import make_scene

pytestmark = pytest.mark.reliability


@pytest.fixture(autouse=True)
def _requests_keep_the_test_connection() -> Iterator[None]:
    """The WSGI application runs in this process, inside the test transaction: like Django's test
    client, its requests must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(db: None) -> str:
    """A process with an issue, a proposal, an open round and a ballot, so that generated ids can
    hit real rows; and the token of an admin who facilitates it, who may call nearly everything."""
    scene = make_scene()
    round_ = scene.open_round()
    services.ballot_cast(
        actor=scene.person("academia"), round_=round_, position="object", rationale="No"
    )
    admin = scene.facilitator
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    return Token.objects.get_or_create(user=admin)[0].key


# Generating the schema reads no data, so it can be loaded when the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
    derandomize=True,
)
def test_the_api_survives_its_own_schema(case: Any, admin_token: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Token {admin_token}"},
        checks=[not_a_server_error, response_schema_conformance, status_code_conformance],
    )
