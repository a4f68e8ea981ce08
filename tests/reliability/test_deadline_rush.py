"""A short deadline rush against the `make run` stack: 300 people, 60 casting and re-casting while
20 read the round page; a ballot for a closed round and malformed positions get a clear 4xx.

The full rush of the issue (1,000 people, 200 casting, 100 reading, within 60 s) is `make bench`'s
deadline_rush row: it takes about a minute of the machine, too long for every `make test`; this
one plays the same scenario, with the same checks (bench.rush), in seconds.
"""

import logging

import pytest

from bench import rush, stack
from bench.stack import PrivateRedis
from config import sizing
from tests.reliability.test_serving import database_url, stack_env

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]
logger = logging.getLogger(__name__)


def test_a_short_deadline_rush_loses_nothing_and_refuses_bad_input() -> None:
    prepared = rush.prepare(people=300, readers=20, prefix="short-rush")
    clients = rush.plan(prepared, casters=60, readers=20, reads_each=2)
    redis = PrivateRedis()
    redis.start()
    try:
        env = stack_env(redis)
        stack.collect_static(env)
        with stack.served(env) as base:
            verdict = rush.play(base, prepared, clients)
            after = sum(stack.site_connections(database_url()).values())
    finally:
        redis.stop()
    assert verdict.problems == []
    assert verdict.bad == [409, 400, 400, 400]
    assert verdict.ballots.requests == 300 + 75
    assert verdict.ballots.ok == verdict.ballots.requests
    assert verdict.reads.ok == 40
    assert 0 < after <= sizing.connection_budget()
    logger.info(
        f"{verdict.ballots.requests} casts in {verdict.seconds:.1f} s: "
        f"p50/p95/p99 {verdict.ballots.p50:.0f}/{verdict.ballots.p95:.0f}/"
        f"{verdict.ballots.p99:.0f} ms"
    )
