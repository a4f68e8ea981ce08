"""Recomputing maps: at most one queued computation a minute per poll, and the beat sweep of
every poll whose votes or moderation are newer than its map."""

from unittest import mock

import pytest
from celery import current_app
from django.core.management import call_command

from consensus.polls import selectors, services, tasks
from consensus.polls.models import Statement
from tests.consensus.conftest import Scene

pytestmark = pytest.mark.django_db


def test_votes_queue_one_computation_a_minute(
    scene: Scene, django_capture_on_commit_callbacks: object
) -> None:
    poll = services.poll_open(
        actor=scene.facilitator, process=scene.process, title="Q", seed_statements=["a", "b"]
    )
    person = scene.person("government")
    task = current_app.tasks["consensus.compute_poll"]
    with mock.patch.object(task, "apply_async") as queued:
        for statement in Statement.objects.filter(poll=poll):
            with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
                services.vote_cast(actor=person, statement=statement, value=1)
    assert queued.call_count == 1
    assert queued.call_args.kwargs["countdown"] == services.RECOMPUTE_SECONDS
    assert queued.call_args.kwargs["args"] == (poll.pk,)


def test_the_sweep_recomputes_stale_maps_only(scene: Scene) -> None:
    poll = services.poll_open(
        actor=scene.facilitator, process=scene.process, title="Q", seed_statements=["a", "b"]
    )
    empty = services.poll_open(actor=scene.facilitator, process=scene.process, title="Empty")
    assert list(selectors.stale_polls()) == []  # no votes, nothing to map
    first, second = Statement.objects.filter(poll=poll).order_by("id")
    services.vote_cast(actor=scene.person("academia"), statement=first, value=1)
    assert tasks.compute_stale_opinion_maps() == [poll.pk]
    assert tasks.compute_stale_opinion_maps() == []
    services.vote_cast(actor=scene.person("academia"), statement=second, value=-1)
    assert [p.pk for p in selectors.stale_polls()] == [poll.pk]
    call_command("compute_opinion", stdout=None)
    assert list(selectors.stale_polls()) == []
    services.statement_reject(actor=scene.facilitator, statement=second, reason="Duplicate")
    assert [p.pk for p in selectors.stale_polls()] == [poll.pk]
    assert tasks.compute_poll(poll.pk) == poll.opinion_map.last_vote
    assert empty.pk not in tasks.compute_stale_opinion_maps()
    assert tasks.compute_poll(999_999) == 0


def test_statements_and_votes_count_in_the_balance(scene: Scene) -> None:
    from consensus.balance import services as balance_service

    poll = services.poll_open(
        actor=scene.facilitator, process=scene.process, title="Q", seed_statements=["a", "b"]
    )
    before = balance_service.balance_figures(scene.process)
    person = scene.person("intergovernmental")
    for statement in Statement.objects.filter(poll=poll):
        services.vote_cast(actor=person, statement=statement, value=1)
        services.vote_cast(actor=person, statement=statement, value=0)  # a change counts once
    services.statement_submit(actor=person, poll=poll, text="Mine")
    after = balance_service.balance_figures(scene.process)
    assert after.totals["contributions"] == before.totals["contributions"] + 3
    groups = after.dimensions["stakeholder_group"]["categories"]
    assert groups["intergovernmental"]["contributions"] == 3
    assert groups["intergovernmental"]["participants"] == 1
