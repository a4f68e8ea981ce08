"""Queueing follow-up work after a commit without ever failing the request that caused it."""

import logging
from typing import Any

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task: Task, *args: Any) -> bool:
    """Publish a task now; if the broker is unreachable, log and return False.

    Every task queued this way also has a periodic sweep that finds the work undone, so a lost
    message delays the work by one beat period instead of losing it (SPEC §8).
    """
    try:
        task.apply_async(args=args, retry=False)
    except Exception:  # the broker's errors vary by transport; none may reach the user
        logger.warning("Could not queue %s%r; its periodic sweep will pick it up.", task.name, args)
        return False
    return True


def enqueue_on_commit(task: Task, *args: Any) -> None:
    """Queue a task once the surrounding transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: enqueue(task, *args))
