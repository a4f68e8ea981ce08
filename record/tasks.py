"""Periodic checks of the public record."""

import logging

from celery import shared_task

from record.selectors import audit_chain_break

logger = logging.getLogger(__name__)


@shared_task(name="record.verify_audit_chain")
def verify_audit_chain() -> bool:
    """Verify the chain and log loudly if a link is broken; returns whether it holds."""
    broken = audit_chain_break()
    if broken is not None:
        logger.error("Audit chain broken at event #%s: %s", broken.seq, broken.reason)
        return False
    return True
