"""Site-wide views: the language switch, the health check, the error answers (JSON under /api/)."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views import defaults


def language_switch(request: HttpRequest) -> HttpResponse:
    """Choose the interface language with a plain GET link or form (no CSRF token on the page,
    so public pages can be served from the page cache); changes nothing but a cookie."""
    language = request.GET.get("language", "")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    if check_for_language(language) and language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and compose: the database answers a trivial query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _answer(
    request: HttpRequest, status: int, detail: str, page: Callable[..., HttpResponse], *args: Any
) -> HttpResponse:
    """JSON `{detail}` under /api/ (the API's errors are always JSON, docs/design.md §10), else
    the page."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": detail}, status=status)
    return page(request, *args)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _answer(request, 400, "Bad request.", defaults.bad_request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _answer(request, 403, "Forbidden.", defaults.permission_denied, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _answer(request, 404, "Not found.", defaults.page_not_found, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    return _answer(request, 500, "Server error; it was logged.", defaults.server_error)
