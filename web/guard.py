"""The input guard: input no view can use is a clear 4xx before it reaches one, never a 500.

NUL bytes (which PostgreSQL cannot store or compare) in the path, the query, a header or a form
field are refused with 400; a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE with 413, before it is
read. JSON bodies are checked as the API parses them (web.api.JSONParser: NUL bytes, nesting
deeper than MAX_JSON_DEPTH). Answers are JSON under /api/ and a page elsewhere.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, parsers

NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def error_response(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    """An error answer in the language of the path: JSON `{detail}` for the API, else a page."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": detail}, status=status)
    # A page of its own, without the site's context: the request may not even carry a usable
    # session cookie.
    return HttpResponse(render_to_string("400.html", {"detail": detail}), status=status)


def _has_nul(values: Iterable[str]) -> bool:
    return any(NUL in value for value in values)


def _query_values(request: HttpRequest) -> Iterable[str]:
    for key, values in request.GET.lists():
        yield key
        yield from values


def _form_values(request: HttpRequest) -> Iterable[str]:
    for key, values in request.POST.lists():
        yield key
        yield from values


def _headers(request: HttpRequest) -> Iterable[str]:
    return (str(value) for key, value in request.META.items() if key.startswith("HTTP_"))


def refusal(request: HttpRequest) -> tuple[int, str] | None:
    """(status, detail) when the request carries input no view can use; None when it is fine."""
    if NUL in request.path_info or _has_nul(_query_values(request)) or _has_nul(_headers(request)):
        return 400, _("The request contains a NUL character, which is never valid here.")
    length = request.META.get("CONTENT_LENGTH") or "0"
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if not length.isdigit():
        return 400, _("The Content-Length header is not a number.")
    if limit is not None and int(length) > limit:
        return 413, ngettext(
            "The request is too large: at most %(limit)d byte.",
            "The request is too large: at most %(limit)d bytes.",
            limit,
        ) % {"limit": limit}
    if request.content_type in FORM_TYPES:
        try:
            if _has_nul(_form_values(request)):
                return 400, _("The request contains a NUL character, which is never valid here.")
        except MultiPartParserError:
            return 400, _("The form data cannot be read.")
    return None


class InputGuardMiddleware:
    """Refuse, before any view, what `refusal` finds (a 400 or 413, never a 500)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = refusal(request)
        if found is not None:
            return error_response(request, *found)
        return self.get_response(request)


def json_refusal(value: Any, max_depth: int) -> str | None:
    """Why parsed JSON is unusable — nested deeper than `max_depth`, or a NUL in a string — or
    None. Iterative, so no input can exhaust the stack here."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str) and NUL in item:
            return _("The request contains a NUL character, which is never valid here.")
        if isinstance(item, dict | list):
            if depth > max_depth:
                return too_deep(max_depth)
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return None


MAX_JSON_DEPTH = 32


def too_deep(depth: int) -> str:
    return ngettext(
        "The JSON is nested too deeply: at most %(depth)d level.",
        "The JSON is nested too deeply: at most %(depth)d levels.",
        depth,
    ) % {"depth": depth}


class JSONParser(parsers.JSONParser):
    """The API's JSON parser: what no view can use is a 400 with `detail` — nesting beyond
    MAX_JSON_DEPTH (before Python's recursion limit turns it into a 500) or a NUL anywhere."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise exceptions.ParseError(too_deep(MAX_JSON_DEPTH)) from error
        problem = json_refusal(data, MAX_JSON_DEPTH)
        if problem is not None:
            raise exceptions.ParseError(problem)
        return data
