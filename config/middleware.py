"""Site-wide middleware: 503 while a backing service is down, and the Content-Security-Policy."""

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from stakeholders.access import standing_refuses
from stakeholders.sessions import signed_in_before

logger = logging.getLogger(__name__)

_OUTAGES = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ServiceUnavailableMiddleware:
    """Answer 503 (never 500) when PostgreSQL or Redis is unreachable.

    Login rate limiting lives in Redis, so it fails closed: no Redis, no login attempt.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, _OUTAGES):
            return None
        logger.warning("Service unavailable for %s: %s", request.path, exception)
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {"detail": "The service is temporarily unavailable. Please retry shortly."},
                status=503,
            )
        else:
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response


class StandingMiddleware:
    """Standing and the end of sessions, in one place for every page and endpoint.

    A session signed in before the account's `sessions_ended_at` (set on suspension, ban and
    two-factor enrolment) ends at its next request; one may sign in again. While suspended or
    banned, a person's writes — every unsafe method, on every page and endpoint, new ones
    included — are refused here (403), unless the view is marked `standing_exempt` (signing in
    and out, account security, notifications, appeals): `standing_refuses` decides, and the API's
    token authentication asks it too (config.authentication).
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


class ContentSecurityPolicyMiddleware:
    """No inline script and no third-party origin on any page (SPEC §8).

    Hand-written because the policy is one constant header; django-csp would add configuration
    for nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


def _uncacheable(response: HttpResponse) -> bool:
    """The view said so (`never_cache`, `cache_control(private=True)`): never kept or shared."""
    control = response.get("Cache-Control", "").lower()
    return "no-store" in control or "private" in control


class AnonymousPageCacheMiddleware:
    """Serve public pages to anonymous readers from a few-seconds-old copy kept in this process.

    Most traffic is people reading public processes without an account; a page rebuilt at most
    every PAGE_CACHE_SECONDS per worker keeps them fast under load. Only a GET of an HTML page
    without a session, an API token, flashed messages or a CSRF token is kept, so nothing personal
    or one-use is ever served to someone else; signed-in users always get a fresh page. The copy
    lives in the worker's memory, not in Redis, which stays off the read path (SPEC §8).
    """

    MAX_PAGES = 500
    EXCLUDED_PREFIXES = ("/api/", "/accounts/", "/me/", "/staff/", "/django-admin/", "/health/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.pages: OrderedDict[tuple[str, str], tuple[float, int, bytes, str]] = OrderedDict()
        self.lock = threading.Lock()

    def _cacheable_request(self, request: HttpRequest) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(self.EXCLUDED_PREFIXES)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._cacheable_request(request):
            return self.get_response(request)
        key = (request.get_full_path(), getattr(request, "LANGUAGE_CODE", ""))
        now = time.monotonic()
        with self.lock:
            found = self.pages.get(key)
        if found is not None and now - found[0] < settings.PAGE_CACHE_SECONDS:
            response = HttpResponse(found[2], status=found[1], content_type=found[3])
            response["Content-Language"] = key[1]
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        body = getattr(response, "content", b"")
        if (
            response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
            and not response.cookies
            and b"csrfmiddlewaretoken" not in body
            and not _uncacheable(response)
        ):
            with self.lock:
                self.pages[key] = (now, response.status_code, body, response["Content-Type"])
                self.pages.move_to_end(key)
                while len(self.pages) > self.MAX_PAGES:
                    self.pages.popitem(last=False)
        return response
