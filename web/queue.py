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
    try:
        task = _registered(task_name)
        if task is None:
            current_app.send_task(task_name, args=args, retry=False)
        else:
            task.apply_async(args=args, retry=False)
    except Exception:  # the broker's errors vary by transport; none may reach the user
        logger.warning("Could not queue %s%r; its periodic sweep will pick it up.", task_name, args)
        return False
    return True


def _registered(task_name: str) -> Any:
    """The task called `task_name`, importing the apps' tasks modules the first time a web
    process needs one (the worker imports them at start); None for a name no app registers,
    which is then sent by name for a worker that may know it."""
    task = current_app.tasks.get(task_name)
    if task is None:
        current_app.loader.import_default_modules()
        task = current_app.tasks.get(task_name)
    return task


def enqueue_on_commit(task_name: str, *args: Any) -> None:
    """Queue the task named `task_name` once the surrounding transaction commits (at once outside
    a transaction)."""
    transaction.on_commit(lambda: enqueue(task_name, *args))
