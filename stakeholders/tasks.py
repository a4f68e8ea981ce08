"""Celery tasks of stakeholders: notification e-mail, sent once and in batches, with a sweep."""

import logging

from celery import shared_task

from stakeholders import services

logger = logging.getLogger(__name__)


@shared_task(name="stakeholders.send_notification_mails")
def send_notification_mails(notification_ids: list[int]) -> int:
    """E-mail a batch of notifications (a fan-out's, or one); returns how many were sent."""
    return services.notification_mails_send(notification_ids=notification_ids)


@shared_task(name="stakeholders.send_notification_mail")
def send_notification_mail(notification_id: int) -> bool:
    """One notification's e-mail (messages queued before batching existed)."""
    return services.notification_mail_send(notification_id=notification_id)


@shared_task(name="stakeholders.send_pending_notification_mail")
def send_pending_notification_mail() -> int:
    """Send every notification e-mail whose queue message was lost; returns how many were sent.

    One message that cannot be sent (its mail server refuses it, say) is logged and left for
    the next sweep; it never keeps the others from going out.
    """
    sent = 0
    for pk in services.pending_notification_mail_ids():
        try:
            sent += services.notification_mail_send(notification_id=pk)
        except Exception:  # the mail backends' errors vary; none may stop the sweep
            logger.exception("Could not send the e-mail of notification %s.", pk)
    return sent


@shared_task(name="stakeholders.send_digests")
def send_digests() -> int:
    """Send every due daily and weekly digest, in batches; returns how many e-mails went out."""
    from stakeholders.subscriptions import services as subscriptions

    return subscriptions.digests_send(user_ids=subscriptions.digest_due_ids())
