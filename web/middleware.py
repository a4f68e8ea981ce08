"""Site-wide middleware: 503 while a backing service is down, and the Content-Security-Policy."""

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

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


class ContentSecurityPolicyMiddleware:
    """No inline script and no third-party origin on any page (docs/design.md §8).

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
    lives in the worker's memory, not in Redis, which stays off the read path (docs/design.md §8).
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
