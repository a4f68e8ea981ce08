"""The API fuzzed from its own OpenAPI schema: no 5xx, and no answer that breaks the schema.

Every operation gets Schemathesis's coverage cases (boundaries, wrong types, missing fields) and
EXAMPLES random ones, new each run (Hypothesis prints how to replay a failure and keeps it in
.hypothesis/); then the state machine chains operations along the links Schemathesis infers from
the schema (a process created, then read, edited, joined…). The last test checks that the run
made at least MIN_CASES requests, and at least MIN_PER_OPERATION of every operation.
"""

import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from config.wsgi import application
from consensus import services
from tests.consensus.conftest import make_scene

pytestmark = pytest.mark.reliability
EXAMPLES = 8
STATEFUL_RUNS = 15
MIN_CASES = 1000
MIN_PER_OPERATION = 10
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
# How many requests each operation (and the state machine) made in this run.
MADE: Counter[str] = Counter()


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
OPERATIONS = {found.ok().label for found in schema.get_all_operations() if isinstance(found, Ok)}
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@FUZZ
def test_the_api_survives_its_own_schema(case: Any, admin_token: str) -> None:
    MADE[case.operation.label] += 1
    case.call_and_validate(headers={"Authorization": f"Token {admin_token}"}, checks=CHECKS)


class Workflow(schema.as_state_machine()):  # type: ignore[misc]
    """Chains of calls along the schema's links, each answer checked like the others'."""

    token = ""

    def setup(self) -> None:
        """Every scenario starts from the same rows and fresh rate-limit counters (a key prefix of
        its own): Hypothesis replays scenarios, and one that found other data would choose other
        calls, which Hypothesis reports as a flaky strategy instead of testing the API."""
        self.key_prefix = cache.key_prefix
        cache.key_prefix = f"{self.key_prefix}-scenario-{uuid.uuid4().hex}"
        self.scenario = transaction.atomic()
        self.scenario.__enter__()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.scenario.__exit__(None, None, None)
        cache.key_prefix = self.key_prefix

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        return {"headers": {"Authorization": f"Token {self.token}"}}

    def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
        MADE["stateful"] += 1
        case.validate_response(response, checks=CHECKS)


def test_chains_of_calls_along_the_schema_links_survive(admin_token: str) -> None:
    Workflow.token = admin_token
    Workflow.run(
        settings=settings(
            max_examples=STATEFUL_RUNS,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    assert MADE["stateful"] >= STATEFUL_RUNS


def test_the_run_made_at_least_a_thousand_generated_requests() -> None:
    if not set(MADE) >= OPERATIONS or "stateful" not in MADE:
        pytest.skip("only a whole run of this module counts its requests")
    assert sum(MADE.values()) >= MIN_CASES, MADE
    assert min(MADE[operation] for operation in OPERATIONS) >= MIN_PER_OPERATION, MADE
    assert len(OPERATIONS) >= 90
