"""Celery tasks of stakeholders: notification e-mail, sent once, with a sweep for lost messages."""

from celery import shared_task

from stakeholders import services


@shared_task(name="stakeholders.send_notification_mail")
def send_notification_mail(notification_id: int) -> bool:
    return services.notification_mail_send(notification_id=notification_id)


@shared_task(name="stakeholders.send_pending_notification_mail")
def send_pending_notification_mail() -> int:
    """Send every notification e-mail whose queue message was lost; returns how many were sent."""
    return sum(
        services.notification_mail_send(notification_id=pk)
        for pk in services.pending_notification_mail_ids()
    )
