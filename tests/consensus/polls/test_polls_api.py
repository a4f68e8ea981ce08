"""The statement-poll API (docs/design.md §11): the contract, bad votes, states, who may."""

from collections.abc import Callable

import pytest
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from consensus.polls import selectors, services
from consensus.polls.models import Moderation, Poll, Statement, Vote
from record.models import AuditEvent
from stakeholders.models import User
from tests.consensus.conftest import Scene
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], APIClient]
GROUPS = ["government", "private_sector", "civil_society", "technical_community"]


def _poll(scene: Scene, api: APIClient, **extra: object) -> dict:
    created = api.post(
        "/api/v1/polls/",
        {
            "process": scene.process.slug,
            "title": "What should the registry do first?",
            "description": "Vote on each statement.",
            "seed_statements": ["Publish the zone", "Cut fees", "Audit yearly"],
            **extra,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    return dict(created.json())


def test_the_contract_end_to_end(scene: Scene, client_for: ClientFor) -> None:
    facilitator = client_for(scene.facilitator)
    poll = _poll(scene, facilitator)
    assert set(poll) >= {"id", "process", "title", "description", "url"}
    assert poll["process"] == scene.process.slug
    listed = APIClient().get(f"/api/v1/polls/?process={scene.process.slug}").json()
    assert set(listed) == {"count", "next", "previous", "results"}
    assert [p["id"] for p in listed["results"]] == [poll["id"]]
    assert APIClient().get(f"/api/v1/polls/{poll['id']}/").json()["title"] == poll["title"]

    people = [client_for(scene.person(group)) for group in GROUPS]
    submitted = people[0].post(
        f"/api/v1/polls/{poll['id']}/statements/", {"text": "Open the books"}, format="json"
    )
    assert submitted.status_code == 201, submitted.json()
    statement = submitted.json()
    assert set(statement) == {
        "id", "external_id", "text", "agrees", "disagrees", "passes", "moderated"
    }  # fmt: skip
    assert statement["moderated"] == 0
    # Waiting statements are the facilitator's to see (and the moderation queue's).
    public = APIClient().get(f"/api/v1/polls/{poll['id']}/statements/").json()
    assert statement["id"] not in [s["id"] for s in public["results"]]
    accepted = facilitator.post(f"/api/v1/statements/{statement['id']}/accept/")
    assert accepted.json()["moderated"] == 1

    seeds = Statement.objects.filter(poll_id=poll["id"]).order_by("id")
    for i, person in enumerate(people):
        for j, seed in enumerate(seeds):
            answer = person.put(
                f"/api/v1/statements/{seed.pk}/vote/", {"vote": 1 if (i + j) % 3 else -1}
            )
            assert answer.status_code == 201, answer.json()
    changed = people[0].put(f"/api/v1/statements/{seeds[0].pk}/vote/", {"vote": 0})
    assert changed.status_code == 200
    assert changed.json()["vote"] == 0
    counts = {
        s["id"]: s
        for s in APIClient().get(f"/api/v1/polls/{poll['id']}/statements/").json()["results"]
    }
    # Every vote row counts, the changed one included, as in Pol.is exports.
    first = counts[seeds[0].pk]
    assert first["agrees"] + first["disagrees"] + first["passes"] == len(people) + 1

    assert APIClient().get(f"/api/v1/polls/{poll['id']}/opinion/").status_code in {200, 202}
    services.opinion_compute(poll=Poll.objects.get(pk=poll["id"]))
    opinion = APIClient().get(f"/api/v1/polls/{poll['id']}/opinion/").json()
    assert set(opinion) == {"computed_at", "groups", "statements", "participants"}
    assert set(opinion["statements"][0]) == {
        "id", "gic_opinion", "gic_stakeholder", "pa", "pat", "consensus"
    }  # fmt: skip
    assert set(opinion["participants"][0]) == {"id", "user", "external_id", "x", "y", "group"}
    assert {"id", "members"} <= set(opinion["groups"][0])
    assert all(s["gic_stakeholder"] is not None for s in opinion["statements"])
    assert AuditEvent.objects.filter(action="poll.open").exists()


def test_bad_votes_are_4xx(scene: Scene, client_for: ClientFor) -> None:
    facilitator = client_for(scene.facilitator)
    poll = _poll(scene, facilitator)
    person = client_for(scene.person("academia"))
    seed = Statement.objects.filter(poll_id=poll["id"]).first()
    assert seed is not None
    for bad in (2, -2, "agree", None, True, 0.5):
        answer = person.put(f"/api/v1/statements/{seed.pk}/vote/", {"vote": bad}, format="json")
        assert answer.status_code == 400, (bad, answer.json())
        assert "detail" in answer.json()
    # A rejected statement takes no vote.
    rejected = facilitator.post(f"/api/v1/statements/{seed.pk}/reject/", {"reason": "Off topic"})
    assert rejected.json()["moderated"] == -1
    assert person.put(f"/api/v1/statements/{seed.pk}/vote/", {"vote": 1}).status_code == 409
    assert facilitator.post(f"/api/v1/statements/{seed.pk}/reject/", {}).status_code == 400
    # A closed poll takes no vote nor statement.
    other = Statement.objects.filter(poll_id=poll["id"], moderated=Moderation.ACCEPTED).first()
    assert other is not None
    assert facilitator.post(f"/api/v1/polls/{poll['id']}/close/").json()["status"] == "closed"
    assert person.put(f"/api/v1/statements/{other.pk}/vote/", {"vote": 1}).status_code == 409
    answer = person.post(f"/api/v1/polls/{poll['id']}/statements/", {"text": "Late"})
    assert answer.status_code == 403
    assert not Vote.objects.exists()
    # The rejected statement is kept, with its reason.
    assert Statement.objects.get(pk=seed.pk).reason == "Off topic"


def test_who_may(scene: Scene, client_for: ClientFor) -> None:
    facilitator = client_for(scene.facilitator)
    poll = _poll(scene, facilitator)
    seed = Statement.objects.filter(poll_id=poll["id"]).first()
    assert seed is not None
    outsider = client_for(UserFactory.create())
    member = client_for(scene.person("government"))
    body = {"process": scene.process.slug, "title": "Mine"}
    assert APIClient().post("/api/v1/polls/", body).status_code == 401
    assert member.post("/api/v1/polls/", body).status_code == 403
    assert APIClient().put(f"/api/v1/statements/{seed.pk}/vote/", {"vote": 1}).status_code == 401
    assert outsider.put(f"/api/v1/statements/{seed.pk}/vote/", {"vote": 1}).status_code == 403
    assert member.post(f"/api/v1/statements/{seed.pk}/accept/").status_code == 403
    assert member.post(f"/api/v1/polls/{poll['id']}/close/").status_code == 403


def test_private_process_polls_are_404(client_for: ClientFor) -> None:
    from tests.consensus.conftest import make_scene

    scene = make_scene(visibility="members")
    poll = services.poll_open(actor=scene.facilitator, process=scene.process, title="Hidden")
    assert APIClient().get(f"/api/v1/polls/{poll.pk}/").status_code == 404
    assert client_for(UserFactory.create()).get(f"/api/v1/polls/{poll.pk}/").status_code == 404


def test_list_queries_do_not_grow(
    scene: Scene, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    poll = services.poll_open(
        actor=scene.facilitator, process=scene.process, title="Q", seed_statements=["a"] * 3
    )
    person = scene.person("government")
    for statement in Statement.objects.filter(poll=poll):
        services.vote_cast(actor=person, statement=statement, value=1)
    api = APIClient()
    with django_assert_max_num_queries(6):
        assert api.get(f"/api/v1/polls/{poll.pk}/statements/").status_code == 200
    services.poll_open(
        actor=scene.facilitator, process=scene.process, title="R", seed_statements=["b"] * 40
    )
    for statement in Statement.objects.filter(poll=poll)[:2]:
        services.vote_cast(actor=scene.person("academia"), statement=statement, value=-1)
    for extra in ["c", "d", "e", "f", "g", "h"]:
        statement = services.statement_submit(actor=scene.facilitator, poll=poll, text=extra)
        services.vote_cast(actor=person, statement=statement, value=0)
    with django_assert_max_num_queries(6):
        assert api.get(f"/api/v1/polls/{poll.pk}/statements/").json()["count"] == 9
    with django_assert_max_num_queries(6):
        assert api.get(f"/api/v1/polls/?process={scene.process.slug}").json()["count"] == 2


def test_next_statement_and_own_statements(scene: Scene) -> None:
    poll = services.poll_open(
        actor=scene.facilitator, process=scene.process, title="Q", seed_statements=["a", "b"]
    )
    person = scene.person("civil_society")
    own = services.statement_submit(actor=person, poll=poll, text="Mine")
    services.statement_accept(actor=scene.facilitator, statement=own)
    participant = selectors.participant_of(poll, person)
    first = selectors.next_statement(poll, participant)
    assert first is not None
    assert first.text == "a"
    services.vote_cast(actor=person, statement=first, value=1)
    second = selectors.next_statement(poll, participant)
    assert second is not None
    assert second.text == "b"
    services.vote_cast(actor=person, statement=second, value=0)
    assert selectors.next_statement(poll, participant) is None  # never one's own
    assert participant is not None
    assert participant.stakeholder_group == "civil_society"
