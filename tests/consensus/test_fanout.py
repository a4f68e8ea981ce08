"""Opening, closing and declaring a round tell every participant after commit, in bulk: the same
number of queries for 10 and for 1,000 participants, and one mail task."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from bench.people import stakeholders
from consensus import notifications as consensus_kinds
from consensus import services
from consensus.models import Round
from deliberation import notifications as deliberation_kinds
from deliberation import services as deliberation
from stakeholders.models import Notification
from tests.consensus.conftest import Scene, make_scene

pytestmark = pytest.mark.django_db


def _queries_and_mail(
    action: object, capture: DjangoCaptureOnCommitCallbacks
) -> tuple[int, list[list[int]]]:
    """Queries of `action()` with its after-commit work, and the mail tasks it queued."""
    with (
        mock.patch("stakeholders.tasks.send_notification_mails.apply_async") as queued,
        capture(execute=True),
        CaptureQueriesContext(connection) as queries,
    ):
        action()  # type: ignore[operator]
    return len(queries), [call.kwargs["args"][0] for call in queued.call_args_list]


def _scene_with(participants: int) -> tuple[Scene, Round]:
    scene = make_scene()
    stakeholders(scene.process, participants, prefix=f"p{participants}")
    version = scene.proposal.versions.get()
    draft = services.round_create(
        actor=scene.facilitator, version=version, closes_at=timezone.now() + timedelta(days=1)
    )
    return scene, draft


def test_opening_and_closing_take_the_same_queries_for_10_and_1000_participants(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    counts = {}
    for participants in (10, 1000):
        scene, draft = _scene_with(participants)
        opened, open_mail = _queries_and_mail(
            lambda: services.round_open(actor=scene.facilitator, round_=draft),  # noqa: B023
            django_capture_on_commit_callbacks,
        )
        closed, close_mail = _queries_and_mail(
            lambda: services.round_close(actor=scene.facilitator, round_=draft),  # noqa: B023
            django_capture_on_commit_callbacks,
        )
        counts[participants] = (opened, closed)
        round_notes = Notification.objects.filter(
            kind=consensus_kinds.ROUND, user__participations__process=scene.process
        )
        assert round_notes.filter(title__startswith="A consensus round is open").count() == (
            participants
        )
        assert round_notes.filter(title__startswith="The round on").count() == participants
        assert [len(ids) for ids in open_mail] == [participants], "one batched mail task"
        assert [len(ids) for ids in close_mail] == [participants]
    assert counts[10] == counts[1000], counts


def test_nothing_is_told_before_the_round_commits(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    scene, draft = _scene_with(5)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.round_open(actor=scene.facilitator, round_=draft)
        assert not Notification.objects.filter(kind=consensus_kinds.ROUND).exists()
    assert callbacks, "the fan-out waits for the commit"
    for callback in callbacks:
        callback()
    assert Notification.objects.filter(kind=consensus_kinds.ROUND).count() == 5


def test_a_new_version_and_a_declaration_reach_every_participant_in_bulk(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    scene, draft = _scene_with(30)
    services.round_open(actor=scene.facilitator, round_=draft)
    services.round_close(actor=scene.facilitator, round_=draft)
    services.outcome_compute(round_=draft)
    with django_capture_on_commit_callbacks(execute=True):
        services.outcome_declare(
            actor=scene.facilitator, round_=draft, designation_="divergence", rationale="Few"
        )
        deliberation.version_publish(actor=scene.facilitator, proposal=scene.proposal, text="v2")
    assert Notification.objects.filter(title__contains="is declared").count() == 30
    assert Notification.objects.filter(kind=deliberation_kinds.NEW_VERSION).count() == 30
