"""The signed-in home: open rounds and deadlines, objections awaiting me, commitments, news."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from consensus import services
from stakeholders.services import notification_send
from tests.consensus.conftest import Scene, make_scene
from tests.factories import CommitmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(db: None) -> Scene:
    return make_scene()


def _fill(scene: Scene, rounds: int) -> None:
    for _ in range(rounds):
        round_ = scene.open_round()
        services.ballot_cast(
            actor=scene.person("academia"), round_=round_, position="object", rationale="No"
        )


def test_sign_in_lands_on_the_signed_in_home(client: Client, scene: Scene) -> None:
    voter = scene.person("government")
    voter.set_password("pw-for-tests-1")
    voter.save()
    EmailAddress.objects.update_or_create(
        user=voter, email=voter.email, defaults={"verified": True, "primary": True}
    )
    answer = client.post("/accounts/login/", {"login": voter.email, "password": "pw-for-tests-1"})
    assert answer.status_code == 302 and answer["Location"] == "/me/"
    assert client.get("/")["Location"] == "/me/"
    assert client.get("/?about").status_code == 200


def test_the_home_lists_what_awaits_me(client: Client, scene: Scene) -> None:
    round_ = scene.open_round()
    voter = scene.person("government")
    services.ballot_cast(
        actor=scene.person("academia"), round_=round_, position="object", rationale="Too vague"
    )
    CommitmentFactory.create(author=voter, due_on=timezone.localdate() + timedelta(days=3))
    notification_send(user=voter, kind="round", title="A round is open", url="/processes/")
    client.force_login(voter)
    page = client.get("/me/").content.decode()
    assert scene.proposal.title in page and "your ballot is awaited" in page
    assert "A round is open" in page
    assert "due <bdi>" in page
    client.force_login(scene.facilitator)
    host = client.get("/me/").content.decode()
    assert "Too vague" in host and "to answer in writing" in host
    services.round_close(actor=scene.facilitator, round_=round_)
    host = client.get("/me/").content.decode()
    assert "Rounds to close out" in host and "objection to answer, then declare" in host


@pytest.mark.parametrize("rounds", [1, 6])
def test_the_home_costs_the_same_whatever_the_number_of_rounds(
    client: Client, scene: Scene, rounds: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    _fill(scene, rounds)
    client.force_login(scene.facilitator)
    with django_assert_max_num_queries(12):
        assert client.get("/me/").status_code == 200


def test_opening_a_notification_marks_it_read(client: Client, scene: Scene) -> None:
    voter = scene.person("government")
    note = notification_send(user=voter, kind="round", title="Open", url="/processes/")
    assert note is not None
    other = scene.person("academia")
    client.force_login(other)
    assert client.get(f"/me/notifications/{note.pk}/open/").status_code == 404
    client.force_login(voter)
    answer = client.get(f"/me/notifications/{note.pk}/open/")
    assert answer.status_code == 302 and answer["Location"] == "/processes/"
    voter.refresh_from_db()
    assert voter.unread_notifications == 0
    note.refresh_from_db()
    assert note.read_at is not None
