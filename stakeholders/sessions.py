"""When each session signed in, so a suspension can end the sessions that were open before it."""

from datetime import datetime
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest
from django.utils import timezone

SIGNED_IN_AT = "footing_signed_in_at"


def stamp_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Remember in the session when this sign-in happened."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = timezone.now().isoformat()


def signed_in_before(request: HttpRequest, moment: datetime) -> bool:
    """Whether the session began before `moment` (a session with no stamp counts as older)."""
    stamp = request.session.get(SIGNED_IN_AT)
    if not stamp:
        return True
    try:
        return datetime.fromisoformat(stamp) < moment
    except ValueError:
        return True


def connect() -> None:
    user_logged_in.connect(stamp_sign_in, dispatch_uid="footing_stamp_sign_in")
