"""Periodic checks of the public record."""

import logging

from celery import shared_task

from record.selectors import audit_chain_break
from record.witness import publish_signed_head

logger = logging.getLogger(__name__)


@shared_task(name="record.verify_audit_chain")
def verify_audit_chain() -> bool:
    """Verify the chain and log loudly if a link is broken; returns whether it holds."""
    broken = audit_chain_break()
    if broken is not None:
        logger.error("Audit chain broken at event #%s: %s", broken.seq, broken.reason)
        return False
    return True


@shared_task(name="record.publish_chain_head")
def publish_chain_head() -> str | None:
    """The daily witness: the verified, signed chain head in the log (record/witness.py)."""
    return publish_signed_head()
