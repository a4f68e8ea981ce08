"""The signed token of an invitation's link: unguessable without the secret key, and rebuilt from
the invitation's id, so no secret is stored and a lost e-mail can be sent again by the sweep."""

from django.core import signing
from django.urls import reverse

SALT = "footing.deliberation.invitation"


def invitation_token(invitation_id: int) -> str:
    """The token of the link, the same every time it is built. Whether it still works is the
    invitation's state (expiry, revocation, acceptance): a new invitation has a new id."""
    return signing.Signer(salt=SALT).sign_object(invitation_id)


def invitation_id_from_token(token: str) -> int | None:
    """The id a token names, or None for a forged or altered one."""
    try:
        value = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def invitation_path(invitation_id: int) -> str:
    """The address of the invitee's page, token included: for the e-mail only (a secret)."""
    return reverse("deliberation:invitation", args=[invitation_token(invitation_id)])
