"""Standing services: suspending or banning a person, and restoring their standing."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from stakeholders.models import (
    User,
)

STANDING_LEVELS = ("restricted", "suspended", "banned")
MAX_SUSPENSION = timedelta(days=30)


@transaction.atomic
def standing_set(*, actor: User, user: User, level: str, until: datetime | None = None) -> User:
    """Restrict, suspend (at most 30 days) or ban a user; called by moderation, which records it.

    After: a suspended or banned user's API tokens are revoked and the sessions they had end at
    their next request (stakeholders.middleware); they can sign in again to read and
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
