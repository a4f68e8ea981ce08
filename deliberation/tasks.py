"""Celery tasks of deliberation: building open-data bundles, e-mailing invitations."""

import logging

from celery import shared_task

from deliberation.invitations import services as invitations
from deliberation.opendata import services

logger = logging.getLogger(__name__)


@shared_task(name="deliberation.build_open_data")
def build_open_data(process_id: int) -> int:
    """Build one process's open-data bundle (idempotent); returns its size in bytes."""
    bundle = services.bundle_build(process_id=process_id)
    return bundle.size if bundle else 0


@shared_task(name="deliberation.refresh_open_data")
def refresh_open_data() -> int:
    """Rebuild every public process's bundle whose rows changed; returns how many were built."""
    built = 0
    for pk in services.stale_public_bundles():
        services.bundle_build(process_id=pk)
        built += 1
    return built


@shared_task(name="deliberation.send_invitations")
def send_invitations(invitation_ids: list[int]) -> int:
    """E-mail a batch of invitations (once each); returns how many were sent."""
    return invitations.invitation_mails_send(invitation_ids=invitation_ids)


@shared_task(name="deliberation.send_pending_invitations")
def send_pending_invitations() -> int:
    """Send every pending invitation whose queue message was lost; returns how many were sent.

    One that cannot be sent (its mail server refuses it, say) is logged and left for the next
    sweep; it never keeps the others from going out.
    """
    sent = 0
    for pk in invitations.pending_invitation_mail_ids():
        try:
            sent += invitations.invitation_mails_send(invitation_ids=[pk])
        except Exception:  # the mail backends' errors vary; none may stop the sweep
            logger.exception("Could not send the e-mail of invitation %s.", pk)
    return sent
