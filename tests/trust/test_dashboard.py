"""The signed-in home: open rounds and deadlines, objections awaiting me, commitments, news."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from consensus import services
from consensus.polls import services as polls
from consensus.polls.models import Poll
from deliberation import services as deliberation
from stakeholders.services import notification_send
from tests.consensus.conftest import Scene, make_scene
from tests.factories import CommitmentFactory, ProcessFactory

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


def _poll(scene: Scene, title: str, seeds: int = 2) -> Poll:
    return polls.poll_open(
        actor=scene.facilitator,
        process=scene.process,
        title=title,
        seed_statements=[f"{title}: statement {n}" for n in range(seeds)],
    )


def test_the_home_lists_the_polls_that_await_my_votes(client: Client, scene: Scene) -> None:
    voter = scene.person("government")
    waiting = _poll(scene, "Where should we meet?", seeds=3)
    done = _poll(scene, "Which language first?", seeds=1)
    polls.vote_cast(actor=voter, statement=done.statements.get(), value=1)
    closed = _poll(scene, "A closed question")
    polls.poll_close(actor=scene.facilitator, poll=closed)
    # My own statement is not mine to vote on; a pending one is not open to votes yet.
    mine = _poll(scene, "Only my statement", seeds=0)
    polls.statement_accept(
        actor=scene.facilitator,
        statement=polls.statement_submit(actor=voter, poll=mine, text="Meet online"),
    )
    polls.statement_submit(actor=scene.person("academia"), poll=mine, text="Meet in Lima")
    elsewhere = ProcessFactory.create()
    polls.poll_open(
        actor=elsewhere.created_by, process=elsewhere, title="Not my process", seed_statements=["X"]
    )
    first, second, last = waiting.statements.all()
    polls.vote_cast(actor=voter, statement=first, value=0)
    client.force_login(voter)
    page = client.get("/me/").content.decode()
    assert "Polls to vote" in page
    assert f'href="/processes/{scene.process.slug}/polls/{waiting.pk}/"' in page
    assert "<bdi>2</bdi> statements await your vote" in page
    for hidden in (done, closed, mine):
        assert f"/polls/{hidden.pk}/" not in page
    assert "Not my process" not in page
    polls.vote_cast(actor=voter, statement=last, value=1)
    polls.vote_cast(actor=voter, statement=second, value=-1)
    assert "No statement poll awaits your vote." in client.get("/me/").content.decode()


def test_an_archived_process_s_polls_await_no_one(client: Client, scene: Scene) -> None:
    voter = scene.person("government")
    _poll(scene, "Where should we meet?")
    deliberation.process_archive(actor=scene.facilitator, process=scene.process)
    client.force_login(voter)
    assert "No statement poll awaits your vote." in client.get("/me/").content.decode()


@pytest.mark.parametrize("size", [1, 6])
def test_the_home_costs_the_same_whatever_the_number_of_rounds_and_polls(
    client: Client, scene: Scene, size: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    _fill(scene, size)
    for n in range(size):
        _poll(scene, f"Question {n}", seeds=size)
    client.force_login(scene.facilitator)
    with django_assert_max_num_queries(12):
        assert client.get("/me/").status_code == 200
    voter = scene.person("academia")
    client.force_login(voter)
    with django_assert_max_num_queries(12):
        page = client.get("/me/").content.decode()
    assert page.count(f'href="/processes/{scene.process.slug}/polls/') == size


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
