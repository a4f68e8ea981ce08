"""Redis down while a round closes: the close succeeds; the outcome follows when Redis is back."""

import time
from typing import Any

import pytest
import requests
from django.db import connection
from rest_framework.authtoken.models import Token

from bench.stack import PrivateRedis
from consensus import services
from consensus.models import Outcome
from tests.consensus.conftest import make_scene
from tests.support.servers import broker, celery_processes

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]


def _test_database_url() -> str:
    settings = connection.settings_dict
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
        f"{settings['PORT']}/{settings['NAME']}"
    )


def _wait_for_outcome(round_id: int, seconds: float) -> Outcome | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        outcome = Outcome.objects.filter(round_id=round_id).first()
        if outcome is not None:
            return outcome
        time.sleep(0.25)
    return None


def test_closing_while_redis_is_down_then_the_sweep_computes_the_outcome(live_server: Any) -> None:
    scene = make_scene()
    round_ = scene.open_round()
    services.ballot_cast(actor=scene.person("government"), round_=round_, position="support")
    token = Token.objects.create(user=scene.facilitator).key
    redis = PrivateRedis()
    redis.start()
    try:
        with (
            broker(redis.url),
            celery_processes(database=_test_database_url(), redis_url=redis.url),
        ):
            redis.stop()
            started = time.monotonic()
            closed = requests.post(
                f"{live_server.url}/api/v1/rounds/{round_.pk}/close/",
                headers={"Authorization": f"Token {token}"},
                timeout=60,
            )
            assert closed.status_code == 200, closed.text
            assert closed.json()["status"] == "closed"
            assert time.monotonic() - started < 20, "closing does not wait on Redis"
            pending = requests.get(
                f"{live_server.url}/api/v1/rounds/{round_.pk}/result/", timeout=30
            )
            assert pending.status_code == 202
            assert _wait_for_outcome(round_.pk, 3) is None, "nothing can compute it without Redis"

            redis.start()
            outcome = _wait_for_outcome(round_.pk, 45)
            assert outcome is not None, "the beat sweep computes the outcome once Redis is back"
            assert outcome.figures["ballots"] == 1
    finally:
        redis.stop()
    result = requests.get(f"{live_server.url}/api/v1/rounds/{round_.pk}/result/", timeout=30)
    assert result.status_code == 200
    assert result.json()["computed_designation"] == "strong_support"
