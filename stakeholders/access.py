"""Permission checks for pages: one rule set (django-rules), 404 for what a user may not see."""

from collections.abc import Callable
from typing import Any, TypeVar

import rules
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from stakeholders.models import User
from stakeholders.rules import MFA_CACHE, needs_mfa_setup


def current_user(request: HttpRequest) -> User:
    """The signed-in user of a request that a login check already guards."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def would_pass_with_mfa(user: User, rule: str, target: Any) -> bool:
    """Whether `user`, who still needs to set up two-factor authentication, would have `rule` on
    `target` once they have: only then is the setup page the answer (otherwise 404)."""
    if not needs_mfa_setup(user):
        return False
    setattr(user, MFA_CACHE, True)
    try:
        return bool(rules.has_perm(rule, user, target))
    finally:
        delattr(user, MFA_CACHE)


class RuleRequiredMixin(LoginRequiredMixin):
    """Require the django-rules permission `rule` (on `get_permission_object()`).

    The rule set is asked directly (not `user.has_perm`), so superusers get no silent bypass of,
    e.g., the two-factor requirement. Anonymous users go to the login page; staff and
    facilitators who still need two-factor authentication are sent to set it up where it would
    grant the permission; everyone else who lacks it gets 404, so the page's existence is not
    revealed.
    """

    rule: str = ""

    def get_permission_object(self) -> Any:
        return None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        target = self.get_permission_object()
        if not rules.has_perm(self.rule, request.user, target):
            if would_pass_with_mfa(current_user(request), self.rule, target):
                messages.warning(
                    request,
                    _("Set up two-factor authentication before you act as a facilitator or admin."),
                )
                return redirect("mfa_activate_totp")
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def posted_pk(request: HttpRequest, name: str) -> int:
    """A numeric id from the POST body, or 404 for anything else."""
    value = request.POST.get(name, "")
    if not value.isdigit():
        raise Http404
    return int(value)


ViewFunction = TypeVar("ViewFunction", bound=Callable[..., Any])


def standing_exempt(view: ViewFunction) -> ViewFunction:
    """Mark a view, a view's method or an API action that a suspended or banned person may still
    use. Every other write is refused to them in one place (stakeholders.middleware):
    they may read, sign in and out, secure their account, manage notifications, and appeal.
    """
    view.standing_exempt = True  # type: ignore[attr-defined]
    return view


# Account pages (sign in and out, password, e-mail, two-factor) stay open to everyone.
EXEMPT_MODULES = ("allauth.",)


SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


def standing_refuses(user: Any, method: str, view_func: Callable[..., Any]) -> bool:
    """The one decision behind every write: whether this request is one that a suspended or
    banned person may not make (any unsafe method, unless the view is `standing_exempt`).
    Asked for sessions by stakeholders.middleware.StandingMiddleware and for API tokens by
    stakeholders.authentication.TokenAuthentication."""
    return bool(
        method not in SAFE_METHODS
        and user is not None
        and user.is_authenticated
        and user.is_suspended
        and not is_standing_exempt(view_func, method)
    )


def is_standing_exempt(view_func: Callable[..., Any], method: str) -> bool:
    """Whether the handler that `view_func` runs for `method` is marked `standing_exempt`: the
    function itself, the class-based view's method, or the API view set's action."""
    if getattr(view_func, "standing_exempt", False):
        return True
    if str(getattr(view_func, "__module__", "")).startswith(EXEMPT_MODULES):
        return True
    view_class = getattr(view_func, "cls", None) or getattr(view_func, "view_class", None)
    if view_class is None:
        return False
    actions = getattr(view_func, "actions", None) or {}
    handler = getattr(view_class, actions.get(method.lower(), method.lower()), None)
    return bool(getattr(view_class, "standing_exempt", False)) or bool(
        getattr(handler, "standing_exempt", False)
    )
