"""Celery tasks of stakeholders: notification e-mail, sent once, with a sweep for lost messages."""

import logging

from celery import shared_task

from stakeholders import services

logger = logging.getLogger(__name__)


@shared_task(name="stakeholders.send_notification_mail")
def send_notification_mail(notification_id: int) -> bool:
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
