"""Credentials never outlive what should end them: API tokens die with a password change or reset
and with any change of two-factor authentication; sessions from before an enrolment end, and the
enrolling session gets a new key."""

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from stakeholders.models import User
from stakeholders.rules import MFA_CACHE
from stakeholders.sessions import SIGNED_IN_AT

# Authenticators that are a second factor; recovery codes come with them and change nothing alone.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def revoke_tokens(user: User | int) -> int:
    """Delete the user's API tokens; scripts must ask for a new one (with `otp` where set up)."""
    return Token.objects.filter(user_id=user if isinstance(user, int) else user.pk).delete()[0]


def _password_saved(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    # set_password() leaves the raw password on the object until save() has stored its hash.
    if not created and getattr(instance, "_password", None) is not None:
        revoke_tokens(instance)


def _second_factor_changed(sender: Any, instance: Authenticator, **kwargs: Any) -> None:
    """Enrolled or removed: tokens taken before no longer stand for who holds the account now.

    On enrolment the sessions opened before it end at their next request too
    (stakeholders.middleware.StandingMiddleware), so none keeps a privilege it never proved.
    """
    if instance.type not in SECOND_FACTORS or kwargs.get("created") is False:
        return
    revoke_tokens(instance.user_id)
    if kwargs.get("created"):
        User.objects.filter(pk=instance.user_id).update(sessions_ended_at=timezone.now())


def _enrolled(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """The enrolling session carries on under a new key, stamped after the other sessions end."""
    user.__dict__.pop(MFA_CACHE, None)
    if request is not None and hasattr(request, "session"):
        request.session.cycle_key()
        request.session[SIGNED_IN_AT] = timezone.now().isoformat()


def connect() -> None:
    post_save.connect(_password_saved, sender=User, dispatch_uid="footing_password_tokens")
    post_save.connect(
        _second_factor_changed, sender=Authenticator, dispatch_uid="footing_mfa_added_tokens"
    )
    post_delete.connect(
        _second_factor_changed, sender=Authenticator, dispatch_uid="footing_mfa_removed_tokens"
    )
    authenticator_added.connect(_enrolled, dispatch_uid="footing_mfa_session")
