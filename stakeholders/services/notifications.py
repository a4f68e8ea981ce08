"""Notification services: sending (one or many, after commit), settings, reading and e-mail."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, FilteredRelation, Func, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stakeholders import mailtext
from stakeholders.inbound.outbound import MailExtras, mail_extras
from stakeholders.models import (
    Notification,
    NotificationSetting,
    User,
)
from stakeholders.notifications import kind_values
from stakeholders.subscriptions.mail import language_of, unsubscribe_headers, unsubscribe_url
from stakeholders.subscriptions.services import immediate_mail_only, unsubscribe_token
from stakeholders.validators import one_line
from web.queue import enqueue_on_commit


def notification_wanted(user: User, kind: str) -> tuple[bool, bool]:
    """(in-app, e-mail) for this user and kind; both on unless the user said otherwise."""
    setting = NotificationSetting.objects.filter(user=user, kind=kind).first()
    if setting is None:
        return True, True
    return setting.in_app, setting.email


def _count_unread(user_ids: Iterable[int]) -> None:
    """One more unread notification on each of these users' badges (one UPDATE)."""
    ids = sorted(set(user_ids))
    if ids:
        User.objects.filter(pk__in=ids).update(unread_notifications=F("unread_notifications") + 1)


def notification_send(
    *,
    user: User,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    deadline: datetime | None = None,
) -> Notification | None:
    """Put a message in the user's inbox and, if wanted, queue its e-mail after commit.

    `deadline` is the moment the message is about (a round's closing): every reader sees it
    written out in their own language, with its time zone, in the inbox and the e-mail.

    After: None when the user turned this kind off entirely; the user's badge counts it; a lost
    queue message is sent by the periodic sweep (`stakeholders.send_pending_notification_mail`).
    """
    in_app, email = notification_wanted(user, kind)
    if not (in_app or email):
        return None
    notification = Notification.objects.create(
        user=user,
        kind=kind,
        title=one_line(title)[:200],
        body=body,
        url=url,
        deadline=deadline,
        in_app=in_app,
        email_wanted=email,
    )
    if in_app:
        _count_unread([user.pk])
    if email:
        _mail_after_commit([notification.pk])
    return notification


@dataclass(frozen=True)
class Message:
    """One person's notification, for `notifications_send`."""

    user_id: int
    title: str
    body: str = ""
    url: str = ""
    deadline: datetime | None = None


@transaction.atomic
def notifications_send(*, kind: str, messages: Sequence[Message]) -> list[Notification]:
    """Deliver many notifications of one kind in a constant number of queries, however many.

    One query reads every recipient's choice for this kind (active users only), one INSERT
    creates the notifications, one UPDATE counts them on the badges, and one task (queued after
    commit) e-mails those who want it. A person who turned the kind off gets nothing.
    """
    if not messages:
        return []
    choices = {
        pk: (in_app is not False, email is not False)
        for pk, in_app, email in User.objects.filter(
            pk__in={m.user_id for m in messages}, is_active=True
        )
        .annotate(
            choice=FilteredRelation(
                "notification_settings", condition=Q(notification_settings__kind=kind)
            )
        )
        .values_list("pk", "choice__in_app", "choice__email")
    }
    now = timezone.now()
    notifications = Notification.objects.bulk_create(
        Notification(
            user_id=m.user_id,
            kind=kind,
            title=m.title[:200],
            body=m.body,
            url=m.url,
            deadline=m.deadline,
            created_at=now,
            in_app=choices[m.user_id][0],
            email_wanted=choices[m.user_id][1],
        )
        for m in messages
        if any(choices.get(m.user_id, (False, False)))
    )
    _count_unread(n.user_id for n in notifications if n.in_app)
    _mail_after_commit([n.pk for n in notifications if n.email_wanted])
    return notifications


def notify_after_commit(
    *,
    recipients: Iterable[int],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    deadline: datetime | None = None,
) -> None:
    """Tell many people the same thing once the surrounding transaction has committed.

    `recipients` are user ids: a list, or a query (`values_list(…, flat=True)`), read after the
    commit. Fan-out stays out of
    the transaction that caused it, so no row that transaction locked (a round) is held while
    thousands of notifications are written; a failure is logged and never undoes that change.
    """

    def deliver() -> None:
        notifications_send(
            kind=kind,
            messages=[Message(pk, title, body, url, deadline) for pk in dict.fromkeys(recipients)],
        )

    transaction.on_commit(deliver, robust=True)


def _mail_after_commit(notification_ids: list[int]) -> None:
    if notification_ids:
        enqueue_on_commit("stakeholders.send_notification_mails", notification_ids)


def notification_settings_save(*, actor: User, choices: dict[str, tuple[bool, bool]]) -> None:
    """Store the actor's (in-app, e-mail) choice for each kind."""
    for kind, (in_app, email) in choices.items():
        if kind not in kind_values():
            raise ValidationError(_("Unknown notification kind: %s") % kind)
        NotificationSetting.objects.update_or_create(
            user=actor, kind=kind, defaults={"in_app": in_app, "email": email}
        )


@transaction.atomic
def notifications_mark_read(*, actor: User, ids: list[int] | None = None) -> int:
    """Mark the actor's notifications read (all of them when ids is None); the badge is counted
    anew from what stays unread."""
    unread = Notification.objects.filter(user=actor, in_app=True, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    marked = unread.update(read_at=timezone.now())
    remaining = (
        Notification.objects.filter(user=OuterRef("pk"), in_app=True, read_at__isnull=True)
        .order_by()
        .annotate(n=Func(F("id"), function="COUNT"))
        .values("n")
    )
    User.objects.filter(pk=actor.pk).update(unread_notifications=Subquery(remaining))
    actor.unread_notifications = 0 if ids is None else max(0, actor.unread_notifications - marked)
    return marked


MAIL_BATCH = 200


def notification_mails_send(*, notification_ids: Sequence[int]) -> int:
    """Send the e-mail of these notifications, each exactly once, over one mail connection per
    batch of MAIL_BATCH; returns how many this call sent.

    Each batch is locked (rows another sender holds are skipped, not waited for), sent, and
    marked sent in one transaction, so a failure leaves the batch for the periodic sweep.
    """
    sent = 0
    ids = list(notification_ids)
    for start in range(0, len(ids), MAIL_BATCH):
        with transaction.atomic():
            batch = list(
                immediate_mail_only(
                    Notification.objects.select_for_update(skip_locked=True, of=("self",))
                )
                .select_related("user")
                .filter(
                    pk__in=ids[start : start + MAIL_BATCH],
                    email_wanted=True,
                    emailed_at__isnull=True,
                )
                .order_by("pk")
            )
            if not batch:
                continue
            extras = mail_extras(batch)
            with get_connection() as mail:
                mail.send_messages([_mail(n, extras.get(n.pk)) for n in batch])
            Notification.objects.filter(pk__in=[n.pk for n in batch]).update(
                emailed_at=timezone.now()
            )
        sent += len(batch)
    return sent


def _mail(notification: Notification, extras: MailExtras | None = None) -> EmailMultiAlternatives:
    """The e-mail of one notification: plain text, and the same in HTML for mail programs that
    show it, in the person's language, greeting and signed with the site's name, its deadline
    (if it has one) written out with its time zone, and the unsubscribe link in both."""
    link = f"{settings.SITE_URL}{notification.url}" if notification.url else settings.SITE_URL
    extras = extras or MailExtras()
    token = unsubscribe_token(notification.user)
    with translation.override(language_of(notification.user)):
        deadline = (
            _("Deadline: %(when)s") % {"when": mailtext.deadline_words(notification.deadline)}
            if notification.deadline
            else ""
        )
        message = "\n\n".join(
            part
            for part in (notification.title, notification.body, deadline, link, extras.after)
            if part
        )
        # The marker a reply is written above comes first, before the greeting.
        body = "\n\n".join(part for part in (extras.before, mailtext.letter(message)) if part)
        html = render_to_string(
            "stakeholders/notification_email.html",
            {
                "notification": notification,
                "deadline": deadline,
                "link": link,
                "before": extras.before,
                "after": extras.after,
                "unsubscribe_url": unsubscribe_url(token),
            },
        )
    mail = EmailMultiAlternatives(
        subject=mailtext.subject(notification.title),
        body=body.strip(),
        to=[notification.user.email],
        reply_to=list(extras.reply_to) or None,
        # Unsubscribing (stakeholders/subscriptions/), threading and the reply address
        # (stakeholders/inbound/outbound.py).
        headers={**unsubscribe_headers(token), **extras.headers},
    )
    mail.attach_alternative(html, "text/html")
    return mail


def notification_mail_send(*, notification_id: int) -> bool:
    """Send one notification's e-mail exactly once; True if this call sent it."""
    return notification_mails_send(notification_ids=[notification_id]) == 1


def pending_notification_mail_ids(*, older_than_seconds: int = 60) -> list[int]:
    """Notifications whose e-mail is wanted but still unsent (their queue message was lost)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return list(
        immediate_mail_only(Notification.objects.all())
        .filter(email_wanted=True, emailed_at__isnull=True, created_at__lte=cutoff)
        .values_list("pk", flat=True)[: MAIL_BATCH * 5]
    )
