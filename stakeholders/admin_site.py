"""The Django admin site behind the same rule as every admin page: staff with two-factor
authentication where it is required (`stakeholders.administer`)."""

from typing import Any

import rules
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from stakeholders.rules import needs_mfa_setup


class FootingAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and rules.has_perm("stakeholders.administer", user))

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Where the admin sends whoever it refuses: the site's sign-in page, the two-factor
        setup for staff who still need it, and 404 for everyone else (as other admin pages)."""
        if not request.user.is_authenticated:
            return redirect_to_login("/django-admin/")
        if self.has_permission(request):
            return redirect("admin:index")
        if needs_mfa_setup(request.user):
            return redirect("mfa_activate_totp")
        raise Http404
