"""Every task goes to the `interactive` or the `heavy` queue, and the workers consume both."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from config import queues
from config.celery import app

ROOT = Path(__file__).resolve().parents[2]


def registered() -> list[str]:
    app.loader.import_default_modules()
    return sorted(name for name in app.tasks if not name.startswith("celery."))


def test_every_registered_task_is_routed_by_a_pattern_to_one_of_the_two_queues() -> None:
    names = registered()
    assert len(names) >= 15
    unrouted = [name for name in names if queues.queue_for(name) is None]
    assert unrouted == [], "add each to a pattern in config/queues.py"
    assert {queues.queue_for(name) for name in names} == set(queues.QUEUES)


@pytest.mark.parametrize(
    ("name", "queue"),
    [
        ("stakeholders.send_notification_mails", "interactive"),
        ("stakeholders.send_pending_notification_mail", "interactive"),
        ("consensus.close_due_rounds", "interactive"),
        ("consensus.compute_outcome", "interactive"),
        ("consensus.compute_outcomes", "interactive"),
        ("trust.invite_commitment_attesters", "interactive"),
        ("trust.compute_trust", "heavy"),
        ("trust.compute_signals", "heavy"),
        ("trust.prune_trust_history", "heavy"),
        ("consensus.snapshot_balance", "heavy"),
        ("consensus.snapshot_open_processes", "heavy"),
        ("record.verify_audit_chain", "heavy"),
        # Named as the statement polls' tasks are: they fall into `heavy` without being listed.
        ("consensus.polls.compute_opinion_map", "heavy"),
        ("consensus.compute_opinion_maps", "heavy"),
        ("consensus.compute_poll", "heavy"),
        ("consensus.compute_stale_opinion_maps", "heavy"),
        # Being added on other branches: where they will land.
        ("deliberation.build_open_data", "heavy"),
        ("deliberation.refresh_open_data", "heavy"),
        ("consensus.send_round_reminders", "interactive"),
        ("stakeholders.send_digests", "interactive"),
        ("stakeholders.process_inbound_message", "interactive"),
        # Invitations to a process: someone waits for their e-mail.
        ("deliberation.send_invitations", "interactive"),
        ("deliberation.send_pending_invitations", "interactive"),
    ],
)
def test_interactive_work_and_heavy_computation_go_to_separate_queues(
    name: str, queue: str
) -> None:
    assert queues.queue_for(name) == queue
    assert queues.route(name, (), {}, {}) == {"queue": queue}


def test_a_task_without_a_pattern_goes_where_a_worker_consumes_it() -> None:
    assert queues.route("someone.new_task", (), {}, {}) == {"queue": "heavy"}
    assert settings.CELERY_TASK_DEFAULT_QUEUE in queues.QUEUES
    assert app.amqp.router.route({}, "stakeholders.send_notification_mails")["queue"].name == (
        "interactive"
    )


def test_beat_schedules_on_both_queues_through_the_same_routes() -> None:
    scheduled = {str(entry["task"]) for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {queues.queue_for(name) for name in scheduled} == set(queues.QUEUES)


def test_make_run_and_compose_run_one_worker_per_queue_and_one_beat() -> None:
    procfile = (ROOT / "Procfile").read_text()
    consumed = re.findall(r"worker --queues (\S+)", procfile)
    assert sorted(consumed) == ["heavy", "interactive"]
    assert procfile.count(" beat ") == 1
    compose = (ROOT / "docker-compose.yml").read_text()
    assert sorted(re.findall(r'"--queues", "(\w+)"', compose)) == ["heavy", "interactive"]
    assert compose.count('"beat"') == 1
