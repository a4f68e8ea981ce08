"""Moderation standing as consensus reads it: suspended ballots kept but not counted; restricted
objections count once acknowledged; a suspended user cannot act but can read."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from consensus import services
from consensus.models import Ballot, Objection
from stakeholders import services as stakeholders
from tests.consensus.conftest import Scene
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_standing_limits(scene: Scene) -> None:
    person = scene.person("government")
    with pytest.raises(ValidationError):
        stakeholders.standing_set(
            actor=scene.facilitator,
            user=person,
            level="suspended",
            until=timezone.now() + timedelta(days=31),
        )
    with pytest.raises(ValidationError):
        stakeholders.standing_set(
            actor=scene.facilitator,
            user=person,
            level="suspended",
            until=timezone.now() - timedelta(days=1),
        )
    with pytest.raises(ValidationError):
        stakeholders.standing_set(actor=scene.facilitator, user=person, level="exiled")
    stakeholders.standing_set(actor=scene.facilitator, user=person, level="banned")
    assert person.is_suspended
    stakeholders.standing_restore(actor=scene.facilitator, user=person)
    assert not person.is_suspended


def test_a_suspended_users_ballot_is_kept_but_not_counted(scene: Scene) -> None:
    round_ = scene.open_round()
    suspended, other = scene.person("government"), scene.person("academia")
    services.ballot_cast(actor=suspended, round_=round_, position="object", rationale="Obstruct")
    services.ballot_cast(actor=other, round_=round_, position="support")
    stakeholders.standing_set(
        actor=scene.facilitator,
        user=suspended,
        level="suspended",
        until=timezone.now() + timedelta(days=7),
    )
    with pytest.raises(PermissionError):
        services.ballot_cast(actor=suspended, round_=round_, position="support")
    services.round_close(actor=scene.facilitator, round_=round_)
    outcome = services.outcome_compute(round_=round_)
    assert outcome.figures["ballots"] == 1
    assert outcome.figures["objections"] == 0
    assert outcome.figures["open_objections"] == 0
    assert outcome.figures["not_counted"] == {"excluded": 0, "suspended": 1, "unacknowledged": 0}
    assert Ballot.objects.filter(user=suspended).exists()
    page = (
        Client().get(f"/processes/{scene.process.slug}/rounds/{round_.pk}/result/").content.decode()
    )
    assert "1 ballot of a suspended participant is kept in the record but not counted" in page


def test_a_restricted_objection_counts_once_acknowledged(scene: Scene) -> None:
    round_ = scene.open_round()
    restricted = scene.person("civil_society")
    stakeholders.standing_set(
        actor=scene.facilitator,
        user=restricted,
        level="restricted",
        until=timezone.now() + timedelta(days=7),
    )
    services.ballot_cast(
        actor=restricted, round_=round_, position="object", rationale="Again the same"
    )
    objection = Objection.objects.get()
    assert objection.acknowledged is False
    client = Client()
    client.force_login(scene.facilitator)
    register = client.get(
        f"/processes/{scene.process.slug}/rounds/{round_.pk}/objections/"
    ).content.decode()
    assert "Acknowledge this objection" in register
    assert services.round_figures(round_)["objections"] == 0
    client.post(
        f"/processes/{scene.process.slug}/rounds/{round_.pk}/objections/{objection.pk}/acknowledge/"
    )
    objection.refresh_from_db()
    assert objection.acknowledged
    assert services.round_figures(round_)["objections"] == 1


def test_suspension_ends_sessions_and_tokens_but_not_reading(scene: Scene) -> None:
    round_ = scene.open_round()
    person = scene.person("technical_community")
    token = Token.objects.create(user=person)
    browser = Client()
    browser.force_login(person)
    assert browser.get("/me/profile/").status_code == 200
    stakeholders.standing_set(
        actor=scene.facilitator,
        user=person,
        level="suspended",
        until=timezone.now() + timedelta(days=7),
    )
    assert not Token.objects.filter(pk=token.pk).exists()
    ended = browser.get("/me/profile/")
    assert ended.status_code == 302
    assert browser.get(f"/processes/{scene.process.slug}/rounds/{round_.pk}/").status_code == 200
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert (
        api.put(
            f"/api/v1/rounds/{round_.pk}/ballot/", {"position": "support"}, format="json"
        ).status_code
        == 401
    )
    refused = APIClient().post(
        "/api/v1/auth/token/", {"email": person.email, "password": PASSWORD}, format="json"
    )
    assert refused.status_code == 400
    assert "suspended" in refused.json()["detail"]
    assert APIClient().get(f"/api/v1/rounds/{round_.pk}/").status_code == 200
