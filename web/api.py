"""API plumbing shared by every app: JSON errors with `detail`, and the rules-based permission."""

from typing import Any

import rules
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, pagination, permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from web.errors import StateConflict


class ConflictError(exceptions.APIException):
    status_code = 409
    default_detail = "This conflicts with the current state."
    default_code = "conflict"


def is_schema_generation(view: APIView) -> bool:
    """True while drf-spectacular builds the schema with a fake, anonymous request."""
    return bool(getattr(view, "swagger_fake_view", False))


class Pagination(pagination.PageNumberPagination):
    """`{count, next, previous, results}`, 50 a page; scripts may ask for up to 200."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _summary(data: Any) -> str:
    """Flatten DRF's field errors into one readable sentence for `detail`."""
    if isinstance(data, dict):
        parts = []
        for field, errors in data.items():
            text = _summary(errors)
            parts.append(text if field in {"non_field_errors", "detail"} else f"{field}: {text}")
        return " ".join(parts)
    if isinstance(data, list):
        return " ".join(_summary(item) for item in data)
    return str(data)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error answer is JSON with a human-readable `detail` (field errors kept beside it)."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": " ".join(exc.messages)}
        )
    elif isinstance(exc, PermissionError):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, StateConflict):
        exc = ConflictError(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(response.data, dict) and "detail" not in response.data:
        response.data = {"detail": _summary(response.data), **response.data}
    elif isinstance(response.data, list):
        response.data = {"detail": _summary(response.data), "errors": response.data}
    return response


class RulesPermission(permissions.BasePermission):
    """Check the django-rules permission the view names for its action.

    A view sets `permission_rules = {"create": "deliberation.add_process", ...}`. Actions it does
    not name are open to readers (the view's queryset already hides what a user may not see, so
    they get 404) and, for writes, to any signed-in user. Named actions need a signed-in user
    (401 otherwise); detail actions are checked against the object, list actions against
    `view.get_permission_object()` when the view defines it. A view with `deny_as_404 = True`
    answers 404 instead of 403, so it does not reveal that it exists.
    """

    def _rule(self, view: APIView) -> str | None:
        rules_map: dict[str, str] = getattr(view, "permission_rules", {})
        action = getattr(view, "action", None) or (view.request.method or "").lower()
        return rules_map.get(action)

    def _deny(self, view: APIView) -> bool:
        if getattr(view, "deny_as_404", False):
            raise Http404
        return False

    def has_permission(self, request: Request, view: APIView) -> bool:
        rule = self._rule(view)
        if rule is None:
            if request.method in permissions.SAFE_METHODS:
                return True
            return bool(request.user and request.user.is_authenticated)
        if not request.user.is_authenticated:
            return self._deny(view)
        if getattr(view, "detail", False):
            return True
        target = view.get_permission_object() if hasattr(view, "get_permission_object") else None
        return rules.has_perm(rule, request.user, target) or self._deny(view)

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        rule = self._rule(view)
        if rule is None:
            return True
        return rules.has_perm(rule, request.user, obj) or self._deny(view)
