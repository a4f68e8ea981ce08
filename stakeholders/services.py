"""Every write about stakeholders: profiles, hats, statements of interest, roles, notifications."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, FilteredRelation, Func, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from record.queue import enqueue_on_commit
from record.services import audit_append
from stakeholders import countries
from stakeholders.inbound.outbound import MailExtras, mail_extras
from stakeholders.models import (
    Affiliation,
    Notification,
    NotificationKind,
    NotificationSetting,
    StatementOfInterest,
    User,
)
from stakeholders.validators import one_line

PROFILE_FIELDS = ("display_name", "country", "languages", "gender", "funding", "attribution")
AFFILIATION_FIELDS = (
    "organisation",
    "stakeholder_group",
    "role",
    "legitimacy_claim",
    "mandate_url",
)


def profile_update(*, actor: User, **fields: Any) -> User:
    """Update the actor's own profile. Before: fields ⊆ PROFILE_FIELDS. After: saved and valid."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown profile fields: %s") % ", ".join(sorted(unknown)))
    country = fields.get("country")
    if country:
        found = countries.get_country(country)
        if found is None:
            raise ValidationError({"country": _("'%s' is not an ISO 3166 country code.") % country})
        fields["country"] = found.code
    for name, value in fields.items():
        setattr(actor, name, value)
    actor.full_clean(exclude=["password"])
    actor.save(update_fields=list(fields))
    return actor


@transaction.atomic
def affiliation_add(
    *,
    actor: User,
    organisation: str,
    stakeholder_group: str,
    role: str = "",
    legitimacy_claim: str = "",
    mandate_url: str = "",
    primary: bool | None = None,
) -> Affiliation:
    """Add a hat for the actor. After: it is primary if asked, or if it is the actor's first."""
    has_primary = actor.affiliations.active().filter(primary=True).exists()
    make_primary = primary if primary is not None else not has_primary
    affiliation = Affiliation(
        user=actor,
        organisation=organisation,
        stakeholder_group=stakeholder_group,
        role=role,
        legitimacy_claim=legitimacy_claim,
        mandate_url=mandate_url,
    )
    affiliation.full_clean()
    affiliation.save()
    if make_primary:
        affiliation_make_primary(actor=actor, affiliation=affiliation)
    return affiliation


@transaction.atomic
def affiliation_update(*, actor: User, affiliation: Affiliation, **fields: Any) -> Affiliation:
    """Edit one of the actor's hats; editing who it speaks for clears its verification."""
    unknown = set(fields) - set(AFFILIATION_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown affiliation fields: %s") % ", ".join(sorted(unknown)))
    _require_own(actor, affiliation)
    # An admin verified all that a hat claims — the organisation, group and role, whom it speaks
    # for and on what mandate: a change to any of it makes the verification meaningless.
    changes_claim = any(
        name in fields and fields[name] != getattr(affiliation, name) for name in AFFILIATION_FIELDS
    )
    for name, value in fields.items():
        setattr(affiliation, name, value)
    if changes_claim:
        affiliation.verified_by = None
        affiliation.verified_at = None
    affiliation.full_clean()
    affiliation.save()
    return affiliation


@transaction.atomic
def affiliation_end(*, actor: User, affiliation: Affiliation) -> Affiliation:
    """End a hat today. After: it is no longer active nor primary; another becomes primary."""
    _require_own(actor, affiliation)
    if not affiliation.active:
        raise ValidationError(_("This affiliation has already ended."))
    was_primary = affiliation.primary
    affiliation.ended_on = max(timezone.localdate(), affiliation.started_on)
    affiliation.primary = False
    affiliation.save(update_fields=["ended_on", "primary"])
    if was_primary:
        successor = actor.affiliations.active().exclude(pk=affiliation.pk).order_by("id").first()
        if successor is not None:
            affiliation_make_primary(actor=actor, affiliation=successor)
    return affiliation


@transaction.atomic
def affiliation_make_primary(*, actor: User, affiliation: Affiliation) -> Affiliation:
    """Make one active hat the actor's primary one. After: exactly one primary hat."""
    _require_own(actor, affiliation)
    if not affiliation.active:
        raise ValidationError(_("An ended affiliation cannot be primary."))
    Affiliation.objects.filter(user=actor, primary=True).exclude(pk=affiliation.pk).update(
        primary=False
    )
    if not affiliation.primary:
        affiliation.primary = True
        affiliation.save(update_fields=["primary"])
    return affiliation


@transaction.atomic
def affiliation_verify(*, actor: User, affiliation: Affiliation) -> Affiliation:
    """An admin confirms a hat. After: verified_by/at set and the record says so."""
    if affiliation.verified:
        return affiliation
    affiliation.verified_by = actor
    affiliation.verified_at = timezone.now()
    affiliation.save(update_fields=["verified_by", "verified_at"])
    audit_append(
        actor=actor,
        action="affiliation.verify",
        obj=affiliation,
        process=None,
        people=[affiliation.user_id],
        data={
            "user": affiliation.user_id,
            "organisation": affiliation.organisation,
            "stakeholder_group": affiliation.stakeholder_group,
        },
    )
    notification_send(
        user=affiliation.user,
        kind=NotificationKind.ROLE,
        title=_("Your affiliation with %s was verified") % affiliation.organisation,
        url="/me/hats/",
    )
    return affiliation


def _require_own(actor: User, affiliation: Affiliation) -> None:
    if affiliation.user_id != actor.pk:
        raise PermissionError("Not the actor's affiliation.")


@transaction.atomic
def statement_of_interest_publish(
    *, actor: User, funding_sources: str, interests: str
) -> StatementOfInterest:
    """Publish a new version of the actor's statement of interest; earlier versions stay public."""
    User.objects.select_for_update().filter(pk=actor.pk).first()
    latest = actor.statements_of_interest.aggregate(latest=Max("version"))["latest"] or 0
    statement = StatementOfInterest(
        user=actor, version=latest + 1, funding_sources=funding_sources, interests=interests
    )
    statement.full_clean()
    statement.save()
    return statement


ROLES = ("facilitator", "admin")


@transaction.atomic
def role_set(*, actor: User, user: User, role: str, granted: bool) -> User:
    """Grant or revoke a site-level role; every change goes on the public record."""
    if role not in ROLES:
        raise ValidationError(_("Unknown role: %s") % role)
    field = "is_facilitator" if role == "facilitator" else "is_staff"
    if role == "admin" and not granted and user.pk == actor.pk:
        raise ValidationError(_("You cannot remove your own admin role; ask another admin."))
    if getattr(user, field) == granted:
        return user
    setattr(user, field, granted)
    user.save(update_fields=[field])
    audit_append(
        actor=actor,
        action=f"role.{'grant' if granted else 'revoke'}",
        obj=user,
        process=None,
        people=[user],
        data={"role": role},
    )
    notification_send(
        user=user,
        kind=NotificationKind.ROLE,
        title=(_("You were given the %s role") if granted else _("Your %s role was removed"))
        % role,
        url="/me/profile/",
    )
    return user


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
    *, user: User, kind: str, title: str, body: str = "", url: str = ""
) -> Notification | None:
    """Put a message in the user's inbox and, if wanted, queue its e-mail after commit.

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
    *, recipients: Iterable[int], kind: str, title: str, body: str = "", url: str = ""
) -> None:
    """Tell many people the same thing once the surrounding transaction has committed.

    `recipients` are user ids: a list, or a query (`values_list(…, flat=True)`), read after the
    commit. Fan-out stays out of
    the transaction that caused it, so no row that transaction locked (a round) is held while
    thousands of notifications are written; a failure is logged and never undoes that change.
    """

    def deliver() -> None:
        notifications_send(
            kind=kind, messages=[Message(pk, title, body, url) for pk in dict.fromkeys(recipients)]
        )

    transaction.on_commit(deliver, robust=True)


def _mail_after_commit(notification_ids: list[int]) -> None:
    if notification_ids:
        from stakeholders.tasks import send_notification_mails

        enqueue_on_commit(send_notification_mails, notification_ids)


def notification_settings_save(*, actor: User, choices: dict[str, tuple[bool, bool]]) -> None:
    """Store the actor's (in-app, e-mail) choice for each kind."""
    for kind, (in_app, email) in choices.items():
        if kind not in NotificationKind.values:
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
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
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


def _mail(notification: Notification, extras: MailExtras | None = None) -> EmailMessage:
    link = f"{settings.SITE_URL}{notification.url}" if notification.url else settings.SITE_URL
    extras = extras or MailExtras()
    body = "\n\n".join(
        part for part in (extras.before, notification.body, link, extras.after) if part
    )
    return EmailMessage(
        # One line whatever was stored: a line break in a subject is refused by the mailer.
        subject=one_line(f"[Footing] {notification.title}"),
        body=body.strip(),
        to=[notification.user.email],
        reply_to=list(extras.reply_to) or None,
        headers=extras.headers,  # threading and reply address (stakeholders/inbound/outbound.py)
    )


def notification_mail_send(*, notification_id: int) -> bool:
    """Send one notification's e-mail exactly once; True if this call sent it."""
    return notification_mails_send(notification_ids=[notification_id]) == 1


def pending_notification_mail_ids(*, older_than_seconds: int = 60) -> list[int]:
    """Notifications whose e-mail is wanted but still unsent (their queue message was lost)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return list(
        Notification.objects.filter(
            email_wanted=True, emailed_at__isnull=True, created_at__lte=cutoff
        ).values_list("pk", flat=True)[: MAIL_BATCH * 5]
    )


STANDING_LEVELS = ("restricted", "suspended", "banned")
MAX_SUSPENSION = timedelta(days=30)


@transaction.atomic
def standing_set(*, actor: User, user: User, level: str, until: datetime | None = None) -> User:
    """Restrict, suspend (at most 30 days) or ban a user; called by moderation, which records it.

    After: a suspended or banned user's API tokens are revoked and the sessions they had end at
    their next request (config.middleware.StandingMiddleware); they can sign in again to read and
    to appeal, but not to act, and the token endpoint refuses them.
    """
    now = timezone.now()
    if level not in STANDING_LEVELS:
        raise ValidationError(_("Unknown standing: %s") % level)
    if level != "banned" and (until is None or until <= now):
        raise ValidationError({"until": _("Give an end in the future.")})
    if (
        level == "suspended"
        and until is not None
        and until - now > MAX_SUSPENSION + timedelta(minutes=1)
    ):
        raise ValidationError({"until": _("A suspension lasts at most 30 days.")})
    if level == "restricted":
        user.restricted_until = until
    elif level == "suspended":
        user.suspended_until = until
    else:
        user.banned_at = now
    if level != "restricted":
        user.sessions_ended_at = now
    user.save(
        update_fields=["restricted_until", "suspended_until", "banned_at", "sessions_ended_at"]
    )
    if level != "restricted":
        Token.objects.filter(user=user).delete()
    return user


def standing_restore(
    *,
    actor: User,
    user: User,
    restricted_until: datetime | None = None,
    suspended_until: datetime | None = None,
    banned_at: datetime | None = None,
) -> User:
    """Set the user's standing to what remains after a sanction is lifted (e.g. on appeal).

    Only ever milder than before, so sessions and tokens are left alone: the ones a remaining
    suspension ended stay ended, and a session opened since stays open.
    """
    user.restricted_until = restricted_until
    user.suspended_until = suspended_until
    user.banned_at = banned_at
    user.save(update_fields=["restricted_until", "suspended_until", "banned_at"])
    return user


def standing_lift(*, actor: User, user: User) -> User:
    """End every restriction, suspension and ban of a user."""
    return standing_restore(actor=actor, user=user)
