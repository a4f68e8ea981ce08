"""Invitation pages: the facilitators' list and form, revoking, and the invitee's page to join."""

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from deliberation.forms import JoinForm
from deliberation.invitations import selectors, services
from deliberation.invitations.forms import InviteForm
from deliberation.invitations.mail import inviter_name
from deliberation.invitations.models import Invitation
from deliberation.views.base import ProcessRuleMixin, form_errors_from, may, paginate
from stakeholders.access import current_user
from stakeholders.forms import AffiliationForm
from stakeholders.models import Affiliation
from stakeholders.services import affiliation_add
from web.errors import StateConflict


class InvitationsView(ProcessRuleMixin, View):
    """GET: the process's invitations with their status, and the form; POST: invite."""

    rule = "deliberation.view_invitations"
    template_name = "deliberation/invitations.html"

    def _render(self, request: HttpRequest, form: InviteForm, status: int = 200) -> HttpResponse:
        context = {
            **self.process_context(),
            "form": form,
            "may_invite": may(request, "deliberation.invite", self.process),
            "may_revoke": may(request, "deliberation.revoke_invitation", self.process),
            "invitations": paginate(request, selectors.invitations_of(self.process), 50),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self._render(request, InviteForm())

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = InviteForm(request.POST)
        if not may(request, "deliberation.invite", self.process):
            raise Http404
        if form.is_valid():
            try:
                made, pending, members = services.invitations_create(
                    actor=current_user(request),
                    process=self.process,
                    emails=form.cleaned_data["emails"],
                )
            except ValidationError as error:
                form_errors_from(form, error)
            except StateConflict as conflict:
                form.add_error(None, str(conflict))
            else:
                _tell(request, made, pending, members)
                return redirect("deliberation:invitations", slug=self.process.slug)
        return self._render(request, form, status=400)


def _tell(
    request: HttpRequest, made: list[Invitation], pending: list[str], members: list[str]
) -> None:
    """Say what the invite form did: how many were invited, and who was skipped and why."""
    if made:
        messages.success(
            request,
            ngettext(
                "%(n)d invitation is on its way.", "%(n)d invitations are on their way.", len(made)
            )
            % {"n": len(made)},
        )
    if pending:
        addresses = ", ".join(pending)
        messages.info(
            request,
            _("Already invited, not yet answered: %(addresses)s") % {"addresses": addresses},
        )
    if members:
        messages.info(
            request,
            _("Already taking part: %(addresses)s") % {"addresses": ", ".join(members)},
        )


class InvitationRevokeView(ProcessRuleMixin, View):
    """POST: withdraw a pending invitation."""

    rule = "deliberation.revoke_invitation"

    @cached_property
    def invitation(self) -> Invitation:
        invitation = selectors.invitation_get(self.process, self.kwargs["pk"])
        if invitation is None:
            raise Http404
        return invitation

    def get_permission_object(self) -> Any:
        return self.invitation

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        try:
            services.invitation_revoke(actor=current_user(request), invitation=self.invitation)
        except StateConflict as conflict:
            messages.error(request, str(conflict))
        else:
            messages.success(
                request,
                _("The invitation to %(address)s was withdrawn.")
                % {"address": self.invitation.email},
            )
        return redirect("deliberation:invitations", slug=self.process.slug)


class InvitationView(View):
    """The page an invitation's link opens. The signed link is the credential: it shows the
    process (even a members-only one) to whoever holds it. Signed out, it offers to sign in or
    up and come back; signed in, one button joins. GET never joins: link scanners only GET."""

    template_name = "deliberation/invitation.html"

    def _render(
        self, request: HttpRequest, invitation: Invitation, form: Any = None, status: int = 200
    ) -> HttpResponse:
        problem = _problem(invitation)
        joined = invitation.accepted_by_id is not None and (
            invitation.accepted_by_id == getattr(request.user, "pk", None)
        )
        if problem and not joined and status == 200:
            status = 410  # used, withdrawn, expired or closed: gone, and the page says why
        context = {
            "invitation": invitation,
            "process": invitation.process,
            "inviter": inviter_name(invitation),
            "problem": problem,
            "joined": joined,
            "form": form or (None if problem else _join_form(request)),
        }
        return render(request, self.template_name, context, status=status)

    def _invitation(self, request: HttpRequest, token: str) -> Invitation | HttpResponse:
        invitation = selectors.invitation_from_token(token)
        if invitation is None:
            return render(request, "deliberation/invitation_invalid.html", status=404)
        return invitation

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        invitation = self._invitation(request, token)
        if isinstance(invitation, HttpResponse):
            return invitation
        return self._render(request, invitation)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        invitation = self._invitation(request, token)
        if isinstance(invitation, HttpResponse):
            return invitation
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        if not may(request, "deliberation.accept_invitation", invitation):
            raise PermissionDenied
        if _problem(invitation):
            return self._render(request, invitation, status=409)
        user = current_user(request)
        form = _join_form(request, request.POST)
        if form is not None and form.is_valid():
            try:
                with transaction.atomic():
                    hat = (
                        form.cleaned_data["affiliation"]
                        if isinstance(form, JoinForm)
                        else affiliation_add(actor=user, **form.cleaned_data)
                    )
                    services.invitation_accept(actor=user, invitation=invitation, affiliation=hat)
            except StateConflict:  # used or withdrawn meanwhile: the page says which
                invitation.refresh_from_db()
                return self._render(request, invitation, status=409)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(
                    request,
                    _("Welcome: you take part in “%(title)s”.") % {"title": invitation.process},
                )
                return redirect(invitation.process)
        return self._render(request, invitation, form=form, status=400)


def _problem(invitation: Invitation) -> str:
    """Why the invitation cannot be accepted (used, withdrawn, expired, process closed), or ""."""
    if problem := services.refusal(invitation):
        return problem
    if not invitation.process.is_open:
        return _("This process is not open any more: it takes no new participants.")
    return ""


def _join_form(request: HttpRequest, data: Any = None) -> JoinForm | AffiliationForm | None:
    """For a signed-in person: the hat to wear (their primary one chosen), or, for someone with
    no hat yet (a newcomer who just signed up), the fields of a first hat."""
    if not request.user.is_authenticated:
        return None
    user = current_user(request)
    if Affiliation.objects.active().filter(user=user).exists():
        return JoinForm(data, user=user)
    return AffiliationForm(data)
