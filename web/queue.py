"""Queueing follow-up work after a commit without ever failing the request that caused it."""

import logging
from typing import Any

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task_name: str, *args: Any) -> bool:
    """Publish the registered task `task_name` now; if the broker is unreachable, log and return
    False.

    Services name their follow-up task instead of importing it, so that `tasks` modules import
    `services` and never the other way round (no import cycle, docs/architecture.md).

    Every task queued this way also has a periodic sweep that finds the work undone, so a lost
    message delays the work by one beat period instead of losing it (docs/design.md §8).
    """
    # A web process has not imported every app's tasks module (the worker does): a task it does
    # not know is sent by name; one it knows runs through it (eagerly, in the tests).
    task = current_app.tasks.get(task_name)
    try:
        if task is None:
            current_app.send_task(task_name, args=args, retry=False)
        else:
            task.apply_async(args=args, retry=False)
    except Exception:  # the broker's errors vary by transport; none may reach the user
        logger.warning("Could not queue %s%r; its periodic sweep will pick it up.", task_name, args)
        return False
    return True


def enqueue_on_commit(task_name: str, *args: Any) -> None:
    """Queue the task named `task_name` once the surrounding transaction commits (at once outside
    a transaction)."""
    transaction.on_commit(lambda: enqueue(task_name, *args))
