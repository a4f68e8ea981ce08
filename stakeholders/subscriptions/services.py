"""Feed tokens, digest choices, digests sent in batches, and one-click unsubscribe."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from record.services import audit_append
from stakeholders.models import Notification, User
from stakeholders.notifications import kind_values
from stakeholders.subscriptions.mail import digest_message
from stakeholders.subscriptions.models import DigestFrequency, DigestPreference, FeedToken

UNSUBSCRIBE_SALT = "footing.subscriptions.unsubscribe"
DIGEST_BATCH = 100
# A digest is due a little before a whole period has passed, so an hourly beat never slips a day.
PERIOD = {
    DigestFrequency.DAILY: timedelta(days=1) - timedelta(minutes=30),
    DigestFrequency.WEEKLY: timedelta(days=7) - timedelta(minutes=30),
}
NOT_IMMEDIATE = (DigestFrequency.DAILY, DigestFrequency.WEEKLY, DigestFrequency.NEVER)


def feed_token_for(user: User) -> FeedToken:
    """The person's feed token, created on first use."""
    token, _created = FeedToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def feed_token_reset(*, actor: User) -> FeedToken:
    """Replace the actor's feed token. After: every address with the old one answers 404."""
    token = feed_token_for(actor)
    token = FeedToken.objects.select_for_update().get(pk=token.pk)
    token.key = FeedToken._meta.get_field("key").get_default()
    token.created_at = timezone.now()
    token.save(update_fields=["key", "created_at"])
    return token


def user_for_feed_key(key: str) -> User | None:
    """The active person whose feed token this is; None for a wrong or reset token."""
    if not key or len(key) > 64:
        return None
    token = FeedToken.objects.select_related("user").filter(key=key, user__is_active=True).first()
    return token.user if token else None


def digest_preference(user: User) -> DigestPreference:
    """The person's choice; an unsaved default (immediately, every kind) when none is stored."""
    found = DigestPreference.objects.filter(user=user).first()
    return found or DigestPreference(user=user)


@transaction.atomic
def digest_preference_save(
    *, actor: User, frequency: str, kinds: Sequence[str] = ()
) -> DigestPreference:
    """Store how notifications reach the actor by e-mail.

    After: moving to immediate or no e-mail, notifications still waiting for a digest are marked
    handled (they stay in the inbox), so no backlog is mailed one by one later.
    """
    if frequency not in DigestFrequency.values:
        raise ValidationError({"frequency": _("Choose immediately, daily, weekly or never.")})
    unknown = sorted(set(kinds) - set(kind_values()))
    if unknown:
        raise ValidationError({"kinds": _("Unknown notification kind: %s") % ", ".join(unknown)})
    preference, _created = DigestPreference.objects.select_for_update().get_or_create(user=actor)
    previous = preference.frequency
    preference.frequency = frequency
    preference.kinds = sorted(set(kinds))
    preference.updated_at = timezone.now()
    preference.save()
    if previous != frequency and frequency in (DigestFrequency.IMMEDIATE, DigestFrequency.NEVER):
        _pending(Notification.objects.filter(user=actor)).update(emailed_at=timezone.now())
    return preference


def immediate_mail_only(notifications: QuerySet[Notification]) -> QuerySet[Notification]:
    """Leave out the notifications of people who get digests or no e-mail: the digest sends them."""
    return notifications.exclude(user__digest__frequency__in=NOT_IMMEDIATE)


def _pending(notifications: QuerySet[Notification]) -> QuerySet[Notification]:
    return notifications.filter(email_wanted=True, emailed_at__isnull=True)


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_user(token: str) -> User | None:
    """The person a signed unsubscribe token names; None when it was tampered with."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return User.objects.filter(pk=data["u"]).first()


@transaction.atomic
def unsubscribe(*, actor: User) -> DigestPreference:
    """One-click unsubscribe (RFC 8058): no more notification e-mail; the inbox stays."""
    preference = digest_preference_save(actor=actor, frequency=DigestFrequency.NEVER)
    audit_append(actor=actor, action="notifications.unsubscribed", obj=actor, process=None,
                 public=False)  # fmt: skip
    return preference


def digest_due_ids(*, now: datetime | None = None) -> list[int]:
    """Users whose daily or weekly digest is due (active people only), oldest first."""
    now = now or timezone.now()
    due = Q()
    for frequency, period in PERIOD.items():
        due |= Q(frequency=frequency) & (
            Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - period)
        )
    return list(
        DigestPreference.objects.filter(due, user__is_active=True)
        .order_by("last_sent_at", "user_id")
        .values_list("user_id", flat=True)
    )


def digests_send(*, user_ids: Sequence[int], now: datetime | None = None) -> int:
    """Send the due digests of these people, DIGEST_BATCH at a time; returns how many went out.

    Per batch, in one transaction: the preferences are locked (rows another sender holds are
    skipped), their waiting notifications read in one query, the e-mails sent over one
    connection, then the notifications marked sent and `last_sent_at` moved. A person with
    nothing waiting gets no e-mail. A failure leaves the batch for the next beat.
    """
    now = now or timezone.now()
    sent = 0
    ids = list(user_ids)
    for start in range(0, len(ids), DIGEST_BATCH):
        with transaction.atomic():
            preferences = list(
                DigestPreference.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user")
                .filter(user_id__in=ids[start : start + DIGEST_BATCH], frequency__in=PERIOD)
                .order_by("user_id")
            )
            if not preferences:
                continue
            waiting: dict[int, list[Notification]] = defaultdict(list)
            for notification in _pending(
                Notification.objects.filter(user_id__in=[p.user_id for p in preferences])
            ).order_by("created_at", "id"):
                waiting[notification.user_id].append(notification)
            messages = []
            for preference in preferences:
                chosen = [
                    n for n in waiting[preference.user_id]
                    if not preference.kinds or n.kind in preference.kinds
                ]  # fmt: skip
                if chosen:
                    messages.append(digest_message(preference, chosen, unsubscribe_token))
            if messages:
                with get_connection() as mail:
                    mail.send_messages(messages)
            _pending(Notification.objects.filter(user_id__in=[p.user_id for p in preferences]))\
                .update(emailed_at=now)  # fmt: skip
            DigestPreference.objects.filter(pk__in=[p.pk for p in preferences]).update(
                last_sent_at=now
            )
            sent += len(messages)
    return sent
