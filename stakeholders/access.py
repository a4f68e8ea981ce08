"""Permission checks for pages: one rule set (django-rules), 404 for what a user may not see."""

from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from stakeholders.models import User
from stakeholders.rules import needs_mfa_setup


def current_user(request: HttpRequest) -> User:
    """The signed-in user of a request that a login check already guards."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


class RuleRequiredMixin(LoginRequiredMixin):
    """Require the django-rules permission `rule` (on `get_permission_object()`).

    The rule set is asked directly (not `user.has_perm`), so superusers get no silent bypass of,
    e.g., the two-factor requirement. Anonymous users go to the login page; staff and
    facilitators who still need two-factor authentication are sent to set it up; everyone else
    who lacks the permission gets 404, so the page's existence is not revealed.
    """

    rule: str = ""

    def get_permission_object(self) -> Any:
        return None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not rules.has_perm(self.rule, request.user, self.get_permission_object()):
            if needs_mfa_setup(current_user(request)):
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
