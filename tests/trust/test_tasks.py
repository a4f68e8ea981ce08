"""Celery tasks of trust: on the beat schedule, run by a real worker on Redis, idempotent."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.schedules import crontab
from django.conf import settings

from stakeholders.models import Notification
from tests.factories import CommitmentFactory, EndorsementFactory, UserFactory
from trust.models import Commitment, SignalRun, TrustComputation
from trust.tasks import compute_signals, compute_trust, invite_commitment_attesters

ROOT = Path(__file__).resolve().parents[2]


def test_trust_tasks_are_on_the_beat_schedule() -> None:
    schedule = settings.CELERY_BEAT_SCHEDULE
    nightly, sweep = schedule["compute-trust"], schedule["invite-commitment-attesters"]
    assert nightly["task"] == compute_trust.name == "trust.compute_trust"
    assert sweep["task"] == invite_commitment_attesters.name
    assert nightly["schedule"] == crontab(minute=0, hour=3)
    assert sweep["schedule"] == crontab(minute=7), "hourly"


def test_the_nightly_hour_comes_from_the_environment() -> None:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(sorted(settings.CELERY_BEAT_SCHEDULE['compute-trust']['schedule'].hour))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "TRUST_RECOMPUTE_HOUR": "5"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[5]"


@pytest.mark.django_db
def test_compute_task_stores_a_run() -> None:
    UserFactory.create_batch(2)
    run_id = compute_trust()
    run = TrustComputation.objects.get(pk=run_id)
    assert (run.trigger, run.actor, run.users) == ("schedule", None, 2)


@pytest.mark.django_db(transaction=True)
def test_a_worker_on_redis_runs_the_invitation_sweep() -> None:
    commitment = CommitmentFactory.create()
    endorser = UserFactory.create()
    EndorsementFactory.create(from_user=endorser, to_user=commitment.author)
    # A fresh app on a private Redis database and queue: the shared app caches its broker pool
    # and queues from the first configuration it saw, which an earlier test may have set.
    worker_app = Celery("footing-trust-test", set_as_current=False)
    worker_app.config_from_object("django.conf:settings", namespace="CELERY")
    queue = f"test-{uuid.uuid4().hex}"
    # Every task to that queue: the site's routes (config.queues) name queues other runs share.
    worker_app.conf.update(
        broker_url="redis://127.0.0.1:6379/13",
        task_default_queue=queue,
        task_routes=(lambda *args, **kwargs: {"queue": queue},),
    )
    with start_worker(
        worker_app, perform_ping_check=False, pool="solo", shutdown_timeout=10, queues=[queue]
    ):
        worker_app.send_task(invite_commitment_attesters.name)
        for _ in range(100):
            if Commitment.objects.get(pk=commitment.pk).invitations_sent_at:
                break
            time.sleep(0.1)
        worker_app.send_task(invite_commitment_attesters.name)  # announces nothing again
        time.sleep(0.5)
    assert Commitment.objects.get(pk=commitment.pk).invitations_sent_at is not None
    assert list(Notification.objects.values_list("user_id", flat=True)) == [endorser.pk]


def test_the_signals_task_is_on_the_beat_schedule() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["compute-signals"]
    assert entry["task"] == compute_signals.name == "trust.compute_signals"
    assert entry["schedule"] == crontab(minute=30, hour="*/6")


@pytest.mark.django_db
def test_the_signals_task_stores_a_run_and_is_repeatable() -> None:
    first = SignalRun.objects.get(pk=compute_signals())
    second = SignalRun.objects.get(pk=compute_signals())
    assert (first.trigger, first.actor, second.cases_opened) == ("schedule", None, 0)
