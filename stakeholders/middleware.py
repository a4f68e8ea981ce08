"""Standing and the end of sessions: a suspended or banned person reads but cannot write."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from stakeholders.access import standing_refuses
from stakeholders.sessions import signed_in_before


class StandingMiddleware:
    """Standing and the end of sessions, in one place for every page and endpoint.

    A session signed in before the account's `sessions_ended_at` (set on suspension, ban and
    two-factor enrolment) ends at its next request; one may sign in again. While suspended or
    banned, a person's writes — every unsafe method, on every page and endpoint, new ones
    included — are refused here (403), unless the view is marked `standing_exempt` (signing in
    and out, account security, notifications, appeals): `standing_refuses` decides, and the API's
    token authentication asks it too (stakeholders.authentication).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.sessions_ended_at is not None
            and signed_in_before(request, user.sessions_ended_at)
        ):
            suspended = user.is_suspended
            logout(request)
            messages.warning(
                request,
                _(
                    "Your account is suspended: your session has ended. You can still read, and "
                    "sign in again to appeal."
                )
                if suspended
                else _(
                    "Your session has ended because the sign-in security of your account "
                    "changed. Please sign in again."
                ),
            )
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        if not standing_refuses(getattr(request, "user", None), request.method or "", view_func):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("This account is suspended; it can only read.")}, status=403
            )
        return HttpResponse(render_to_string("standing_refused.html", request=request), status=403)
