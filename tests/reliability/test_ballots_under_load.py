"""200 concurrent clients cast and re-cast ballots against the real server and database."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
import requests
from django.utils import timezone
from rest_framework.authtoken.models import Token

from consensus import services
from consensus.models import Ballot, Round
from consensus.selectors import tally_input
from stakeholders.models import StakeholderGroup, User
from tests.consensus.conftest import Scene, make_scene

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]
GROUPS = list(StakeholderGroup.values)
CLIENTS = 200
POSITIONS = ["support", "object", "accept"]


def _people(scene: Scene, count: int) -> list[tuple[User, str]]:
    people = []
    for n in range(count):
        user = scene.person(GROUPS[n % 6], n // 6)
        people.append((user, Token.objects.create(user=user).key))
    return people


def _round(scene: Scene) -> Round:
    return scene.open_round()


def _cast(url: str, token: str, position: str, session: requests.Session) -> int:
    body: dict[str, Any] = {"position": position}
    if position == "object":
        body["rationale"] = "Not yet"
    response = session.put(url, json=body, headers={"Authorization": f"Token {token}"}, timeout=60)
    return response.status_code


def test_concurrent_casting_leaves_one_current_ballot_each(live_server: Any) -> None:
    scene = make_scene()
    people = _people(scene, CLIENTS)
    round_ = _round(scene)
    url = f"{live_server.url}/api/v1/rounds/{round_.pk}/ballot/"

    def client(person: tuple[User, str]) -> list[int]:
        with requests.Session() as session:
            return [_cast(url, person[1], position, session) for position in POSITIONS]

    with ThreadPoolExecutor(max_workers=40) as pool:
        statuses = list(pool.map(client, people))
    assert all(answers == [201, 200, 200] for answers in statuses), statuses
    assert Ballot.objects.filter(round=round_).count() == CLIENTS * len(POSITIONS)
    assert Ballot.objects.filter(round=round_, current=True).count() == CLIENTS
    assert set(
        Ballot.objects.filter(round=round_, current=True).values_list("position", flat=True)
    ) == {"accept"}
    for user, _token in people[:20]:
        history = list(
            Ballot.objects.filter(round=round_, user=user)
            .order_by("id")
            .values_list("position", flat=True)
        )
        assert history == POSITIONS


def test_ballots_racing_the_close_are_counted_or_refused(live_server: Any) -> None:
    scene = make_scene()
    people = _people(scene, CLIENTS)
    round_ = _round(scene)
    url = f"{live_server.url}/api/v1/rounds/{round_.pk}/ballot/"
    close_url = f"{live_server.url}/api/v1/rounds/{round_.pk}/close/"
    facilitator_token = Token.objects.create(user=scene.facilitator).key

    def client(index: int) -> int:
        if index == CLIENTS // 2:
            closed = requests.post(
                close_url, headers={"Authorization": f"Token {facilitator_token}"}, timeout=60
            )
            assert closed.status_code == 200
        with requests.Session() as session:
            return _cast(url, people[index][1], "support", session)

    with ThreadPoolExecutor(max_workers=40) as pool:
        statuses = list(pool.map(client, range(CLIENTS)))
    assert set(statuses) <= {201, 409}, statuses
    assert 409 in statuses, "the close raced some ballots"
    counted = statuses.count(201)
    assert Ballot.objects.filter(round=round_, current=True).count() == counted
    round_.refresh_from_db()
    assert round_.status == "closed"
    outcome = services.outcome_compute(round_=round_)
    assert outcome.figures["ballots"] == counted == tally_input(round_).ballots
    assert sum(g["support"] for g in outcome.figures["groups"].values()) == counted


def test_a_deadline_in_the_past_refuses_with_409(live_server: Any) -> None:
    scene = make_scene()
    (person,) = _people(scene, 1)
    round_ = _round(scene)
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    with requests.Session() as session:
        assert (
            _cast(
                f"{live_server.url}/api/v1/rounds/{round_.pk}/ballot/",
                person[1],
                "support",
                session,
            )
            == 409
        )
