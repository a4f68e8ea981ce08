"""Celery tasks of inbound mail: process one stored message; the sweep that retries the rest."""

import logging

from celery import shared_task

from stakeholders.inbound import services

logger = logging.getLogger(__name__)


@shared_task(name="stakeholders.process_inbound_message")
def process_inbound_message(message_id: int) -> str | None:
    """Process one stored inbound message (idempotent: a processed one is left alone)."""
    return services.inbound_process(message_id=message_id)


@shared_task(name="stakeholders.retry_inbound_messages")
def retry_inbound_messages() -> int:
    """Process every message still waiting (its queue message was lost) or failed; returns how
    many were processed. One that fails again stays for the next sweep, up to its attempts."""
    done = 0
    for pk in services.retryable_ids():
        try:
            status = services.inbound_process(message_id=pk)
        except Exception:  # a database hiccup on one message must not stop the sweep
            logger.exception("Could not process inbound message %s.", pk)
            continue
        done += status is not None
    return done
