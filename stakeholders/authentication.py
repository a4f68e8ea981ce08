"""API authentication by token, with the standing check for token holders (kept apart from
web/api.py because DRF imports authentication classes while its views load)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token
from rest_framework.request import Request

from stakeholders.access import standing_refuses

# The token's holder in one plain statement: every API write starts here, and the ORM's
# select_related("user") compiles a join of every column on each request (docs/design.md §9).
_HOLDER = (
    "SELECT u.*, t.created AS token_created FROM authtoken_token t"
    " JOIN stakeholders_user u ON u.id = t.user_id WHERE t.key = %s"
)


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token …`; a suspended or banned holder reads but cannot write.

    Their tokens are deleted on suspension and the token endpoint gives them none; a token that
    escaped both meets the same `standing_refuses` as a session (web.middleware).
    """

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        found = super().authenticate(request)
        match = getattr(request._request, "resolver_match", None)
        if (
            found is not None
            and match is not None
            and standing_refuses(found[0], request.method or "", match.func)
        ):
            raise exceptions.PermissionDenied(_("This account is suspended; it can only read."))
        return found

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        """What DRF's does (the same answers and errors), in one raw statement."""
        user = next(iter(get_user_model().objects.raw(_HOLDER, [key])), None)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        token = Token(key=key, user=user, created=user.token_created)  # type: ignore[attr-defined]
        token._state.adding = False
        return user, token
