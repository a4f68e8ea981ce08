"""Idempotency keys are scoped to (user, method, path) and bound to the body: another round is
another request, another body is a 422, and keys expire after a day (pruned by beat)."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from consensus.idempotency import KEY_LIFETIME
from consensus.models import Ballot, IdempotencyKey
from consensus.tasks import prune_idempotency_keys
from stakeholders.models import User
from tests.consensus.conftest import Scene

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], APIClient]


def _put(api: APIClient, round_id: int, key: str, **body: str) -> tuple[int, dict]:
    answer = api.put(
        f"/api/v1/rounds/{round_id}/ballot/", body, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    return answer.status_code, answer.json()


def test_the_same_key_on_another_round_is_another_request(
    client_for: ClientFor, scene: Scene
) -> None:
    first_round, second_round = scene.open_round(), scene.open_round()
    voter = scene.person("academia")
    api = client_for(voter)
    assert _put(api, first_round.pk, "k", position="support")[0] == 201
    code, body = _put(api, second_round.pk, "k", position="support")
    assert code == 201
    assert Ballot.objects.filter(round=second_round, user=voter, current=True).exists()
    assert body["position"] == "support"


def test_the_same_key_with_another_body_is_refused(client_for: ClientFor, scene: Scene) -> None:
    round_ = scene.open_round()
    voter = scene.person("academia")
    api = client_for(voter)
    first = _put(api, round_.pk, "k", position="support")
    assert _put(api, round_.pk, "k", position="support") == first  # replayed
    code, body = _put(api, round_.pk, "k", position="object", rationale="No")
    assert code == 422
    assert "another request body" in body["detail"]
    assert Ballot.objects.get(round=round_, user=voter, current=True).position == "support"


def test_keys_expire_after_a_day_and_beat_prunes_them(client_for: ClientFor, scene: Scene) -> None:
    assert "prune-idempotency-keys" in settings.CELERY_BEAT_SCHEDULE
    round_ = scene.open_round()
    voter = scene.person("academia")
    api = client_for(voter)
    _put(api, round_.pk, "k", position="support")
    IdempotencyKey.objects.update(created_at=timezone.now() - KEY_LIFETIME - timedelta(minutes=1))
    code, body = _put(api, round_.pk, "k", position="accept")
    assert (code, body["position"]) == (200, "accept"), "an expired key is a new request"
    IdempotencyKey.objects.update(created_at=timezone.now() - KEY_LIFETIME - timedelta(minutes=1))
    _put(api, round_.pk, "fresh", position="support")
    assert prune_idempotency_keys.delay().get() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]


def test_a_key_that_is_not_printable_is_a_400(client_for: ClientFor, scene: Scene) -> None:
    round_ = scene.open_round()
    api = client_for(scene.person("academia"))
    assert _put(api, round_.pk, "x" * 201, position="support")[0] == 400
    assert _put(api, round_.pk, "a\tb", position="support")[0] == 400
