"""The `make run` stack (gunicorn, worker, beat) holds 300 concurrent connections: no reset, no
5xx, and the site's PostgreSQL connections stay within the documented budget during and after."""

import logging
import time
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from bench import load, stack
from bench.people import session_cookie, stakeholders
from bench.stack import PrivateRedis
from config import sizing
from deliberation import services as deliberation
from tests.consensus.conftest import make_scene

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]
CLIENTS = 300
logger = logging.getLogger(__name__)


def database_url() -> str:
    """The test database, for processes started outside this one."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def stack_env(redis: PrivateRedis, **extra: str) -> dict[str, str]:
    """The stack on the test database and a private Redis, sharing this process's secret key (so
    that the sessions made here are valid there)."""
    db, owner = connection.settings_dict, settings.DATABASE_OWNER
    return {
        "DATABASE_URL": database_url(),
        # The owner of the same test database: a worktree's .env naming another must not win.
        "DATABASE_OWNER_URL": (
            f"postgres://{owner['USER']}:{owner['PASSWORD']}@{owner['HOST'] or db['HOST']}:"
            f"{owner['PORT'] or db['PORT']}/{db['NAME']}"
        ),
        "REDIS_URL": redis.url,
        "CELERY_BROKER_URL": redis.url,
        "CACHE_URL": redis.url.replace("/0", "/1"),
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        **extra,
    }


def test_the_run_stack_holds_300_connections_within_its_database_budget() -> None:
    scene = make_scene()
    issue = scene.proposal.issue
    for n in range(12):
        deliberation.comment_create(actor=scene.facilitator, issue=issue, body=f"Point {n}")
    readers = stakeholders(scene.process, 30, prefix="reader")
    cookies = [session_cookie(person.user) for person in readers]
    page = issue.get_absolute_url()
    budget = sizing.connection_budget()
    url = database_url()
    assert budget < stack.max_connections(url) - 10, "PostgreSQL must allow the site's budget"

    def calls(n: int) -> list[load.Call]:
        first = (
            load.Call("anonymous", "GET", f"/processes/{scene.process.slug}/")
            if n % 2
            else load.Call("api", "GET", f"/api/v1/processes/{scene.process.slug}/")
        )
        return [first, load.Call("signed_in", "GET", page, cookies={"sessionid": cookies[n % 30]})]

    redis = PrivateRedis()
    redis.start()
    try:
        stack.collect_static(stack_env(redis))
        with stack.served(stack_env(redis)) as base:
            with stack.ConnectionWatch(url) as watch:
                answers, seconds = load.run(base, [calls(n) for n in range(CLIENTS)])
            time.sleep(1)
            after = sum(stack.site_connections(url).values())
    finally:
        redis.stop()

    failed = [(a.call.path, a.status, a.error) for a in answers if a.status != 200]
    assert not failed, failed[:10]
    assert len(answers) == CLIENTS * 2
    first: dict[int, Any] = {}
    for answer in answers:  # each client's first answer
        first.setdefault(answer.client, answer)
    in_flight = load.peak_in_flight(list(first.values()))
    assert in_flight >= CLIENTS * 0.9, f"only {in_flight} connections were open at once"
    signed_in = [a for a in answers if a.call.kind == "signed_in"]
    assert all(b"Sign out" in a.body for a in signed_in), "the session cookies sign people in"
    assert watch.samples > 3
    assert 0 < watch.peak <= budget, (watch.peak, budget)
    assert after <= budget, (after, budget)
    logger.info(
        f"{len(answers)} answers in {seconds:.1f} s, {in_flight} requests in flight at once; "
        f"peak {watch.peak} of {budget} database connections"
    )
