"""Celery against the real Redis: the beat schedule names real tasks; a worker sends queued mail."""

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from pytest_django.fixtures import Settings

from config.celery import app
from deliberation import notifications as deliberation_kinds
from stakeholders.models import Notification
from stakeholders.services import notification_send
from tests.factories import UserFactory
from tests.support.servers import broker


def test_every_scheduled_name_is_a_registered_task() -> None:
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_tasks_are_acknowledged_late_and_requeued_if_a_worker_dies() -> None:
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True


@pytest.mark.django_db(transaction=True)
def test_a_worker_on_redis_sends_the_notification_mail(settings: Settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A private database and queue of the real Redis, so parallel test runs never share work.
    queue = f"test-{uuid.uuid4().hex}"
    # Every task to that queue, consumed by this worker only: the site's routes (config.queues)
    # name queues that other runs on the same Redis share.
    app.conf.update(task_routes=(lambda *args, **kwargs: {"queue": queue},))
    app.amqp.flush_routes()
    try:
        with (
            broker("redis://127.0.0.1:6379/13"),
            start_worker(
                app, perform_ping_check=False, pool="solo", shutdown_timeout=10, queues=[queue]
            ),
        ):
            user = UserFactory.create()
            notification = notification_send(user=user, kind=deliberation_kinds.MENTION, title="Hi")
            assert notification is not None
            for _ in range(100):
                notification.refresh_from_db()
                if notification.emailed_at:
                    break
                time.sleep(0.1)
        assert Notification.objects.get(pk=notification.pk).emailed_at is not None
        assert [message.to for message in mail.outbox] == [[user.email]]
    finally:
        app.conf.update(task_routes=settings.CELERY_TASK_ROUTES)
        app.amqp.flush_routes()
