"""API authentication by token, with the standing check for token holders (kept apart from
web/api.py because DRF imports authentication classes while its views load)."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from stakeholders.access import standing_refuses


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
