"""Pages of moderation: reporting, the admins' queue and case files, signals, appeals, the log."""

from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from deliberation.views.base import form_errors_from, paginate
from stakeholders.access import RuleRequiredMixin, current_user, standing_exempt
from trust.models import Appeal, CaseStatus, FlagTarget, ModerationAction, SignalRun
from trust.moderation import compute, selectors, services
from trust.moderation.forms import (
    ActionForm,
    AppealDecisionForm,
    AppealForm,
    FlagForm,
    ReasonForm,
)
from trust.moderation.targets import flag_reports
from trust.presentation import shown_name


class ReportView(LoginRequiredMixin, View):
    """Report a comment, proposal, ballot rationale or stakeholder to the admins."""

    template_name = "trust/moderation/report.html"

    def _target(self, target_type: str) -> str:
        if target_type not in FlagTarget.values:
            raise Http404
        return str(FlagTarget(target_type).label)

    def _back(self, request: HttpRequest) -> str:
        """Where the reporter came from (a page of this site), to return there afterwards."""
        target = request.POST.get("next") or request.GET.get("next") or ""
        target = target or request.headers.get("referer", "")
        ok = url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return target if target and ok else ""

    def _context(self, request: HttpRequest, target_type: str, pk: int, form: Any) -> Any:
        return {
            "form": form,
            "what": self._target(target_type),
            "excerpt": services.flag_preview(
                actor=current_user(request), target_type=target_type, target_id=pk
            ),
            "next": self._back(request),
        }

    def get(self, request: HttpRequest, target_type: str, pk: int) -> HttpResponse:
        return render(
            request, self.template_name, self._context(request, target_type, pk, FlagForm())
        )

    def post(self, request: HttpRequest, target_type: str, pk: int) -> HttpResponse:
        what = self._target(target_type)
        form = FlagForm(request.POST)
        if not rules.has_perm("trust.flag", request.user):
            form.add_error(None, _("Your account is suspended: you can read, but not report."))
        elif form.is_valid():
            try:
                services.flag_create(
                    actor=current_user(request),
                    target_type=target_type,
                    target_id=pk,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(
                    request, _("Thank you: your report is with the admins, who read every one.")
                )
                return redirect(self._back(request) or "home")
        del what
        return render(
            request, self.template_name, self._context(request, target_type, pk, form), status=400
        )


class AdminPage(RuleRequiredMixin):
    """An admins' page: everyone else, signed in or not, gets 404 (not a sign-in prompt)."""

    rule = "trust.moderate"

    def handle_no_permission(self) -> HttpResponseRedirect:
        raise Http404


class QueueView(AdminPage, View):
    """The admins' queue: open cases, bans to confirm, appeals to decide; POST computes signals."""

    def get(self, request: HttpRequest) -> HttpResponse:
        status = request.GET.get("status", CaseStatus.OPEN)
        if status not in CaseStatus.values:
            status = CaseStatus.OPEN
        return render(
            request,
            "trust/moderation/queue.html",
            {
                "status": status,
                "page": paginate(request, selectors.case_queue(status), 50),
                "bans": selectors.bans_awaiting_confirmation(),
                "appeals": selectors.appeals_awaiting_decision(),
                "run": SignalRun.objects.latest_run(),
            },
        )


class SignalsView(AdminPage, View):
    """The latest signals with their evidence; POST recomputes them now."""

    def get(self, request: HttpRequest) -> HttpResponse:
        show_all = request.GET.get("all") == "1"
        signals = selectors.latest_signals(flagged_only=not show_all)
        return render(
            request,
            "trust/moderation/signals.html",
            {
                "page": paginate(request, signals, 100),
                "show_all": show_all,
                "run": SignalRun.objects.latest_run(),
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        run = compute.signals_compute(actor=current_user(request), trigger=SignalRun.Trigger.ADMIN)
        messages.success(
            request,
            _("Signals computed: %(flagged)s, %(opened)s.")
            % {
                "flagged": ngettext(
                    "%(n)d at its threshold", "%(n)d at their threshold", run.flagged
                )
                % {"n": run.flagged},
                "opened": ngettext("%(n)d new case", "%(n)d new cases", run.cases_opened)
                % {"n": run.cases_opened},
            },
        )
        return redirect("trust:moderation")


class CaseView(AdminPage, View):
    """One case file: the evidence beside the person's accommodated objections; act or close."""

    def _render(self, request: HttpRequest, pk: int, **forms: Any) -> HttpResponse:
        case = selectors.cases_visible(pk=pk).first()
        if case is None:
            raise Http404
        return render(
            request,
            "trust/moderation/case.html",
            {
                "case": case,
                "reports": flag_reports(list(case.flags.all())),
                "name": shown_name(case.subject, request.user),
                "signals": selectors.latest_signals(user=case.subject),
                "accommodated": selectors.accommodated_objections(case.subject),
                "action_form": forms.get("action_form", ActionForm()),
                "close_form": forms.get("close_form", ReasonForm()),
            },
            status=400 if forms else 200,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, pk)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = selectors.cases_visible(pk=pk).first()
        if case is None:
            raise Http404
        closing = "close" in request.POST
        form: ActionForm | ReasonForm = (
            ReasonForm(request.POST) if closing else ActionForm(request.POST)
        )
        if form.is_valid():
            try:
                if closing:
                    services.case_close(
                        actor=current_user(request), case=case, reason=form.cleaned_data["reason"]
                    )
                    messages.success(request, _("The case is closed."))
                    return redirect("trust:moderation")
                action = services.action_take(
                    actor=current_user(request), case=case, **form.cleaned_data
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Recorded: %s.") % action.get_kind_display())
                return redirect(case)
        key = "close_form" if closing else "action_form"
        return self._render(request, pk, **{key: form})


def _action_or_404(request: HttpRequest, pk: int) -> ModerationAction:
    action = selectors.action_get(pk)
    if action is None or not rules.has_perm("trust.view_action", request.user, action):
        raise Http404
    return action


class ActionView(LoginRequiredMixin, View):
    """One action, for the person it concerns and for admins: appeal it, confirm a ban, decide."""

    def _render(self, request: HttpRequest, action: ModerationAction, **forms: Any) -> HttpResponse:
        appeal: Appeal | None = getattr(action, "appeal", None)
        return render(
            request,
            "trust/moderation/action.html",
            {
                "action": action,
                "appeal": appeal,
                "name": shown_name(action.subject, request.user),
                "may_appeal": rules.has_perm("trust.appeal", request.user, action),
                "may_confirm": rules.has_perm("trust.confirm_ban", request.user, action),
                "may_decide": appeal is not None
                and rules.has_perm("trust.decide_appeal", request.user, appeal),
                "appeal_form": forms.get("appeal_form", AppealForm()),
                "decision_form": forms.get("decision_form", AppealDecisionForm()),
            },
            status=400 if forms else 200,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, _action_or_404(request, pk))

    @standing_exempt  # the appeal; confirming and deciding need may_act in their rules
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = _action_or_404(request, pk)
        step = request.POST.get("step", "")
        actor = current_user(request)
        if step == "confirm" and rules.has_perm("trust.confirm_ban", actor, action):
            try:
                services.ban_confirm(actor=actor, action=action)
            except ValidationError as error:  # another admin confirmed it a moment earlier
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The ban is confirmed and in force."))
            return redirect(action)
        if step == "appeal" and rules.has_perm("trust.appeal", actor, action):
            appeal_form = AppealForm(request.POST)
            if appeal_form.is_valid():
                try:
                    services.appeal_file(
                        actor=actor, action=action, text=appeal_form.cleaned_data["text"]
                    )
                except ValidationError as error:
                    form_errors_from(appeal_form, error)
                else:
                    messages.success(
                        request, _("Your appeal is filed. You will be told the answer.")
                    )
                    return redirect(action)
            return self._render(request, action, appeal_form=appeal_form)
        appeal = getattr(action, "appeal", None)
        if step == "decide" and appeal and rules.has_perm("trust.decide_appeal", actor, appeal):
            decision_form = AppealDecisionForm(request.POST)
            if decision_form.is_valid():
                try:
                    services.appeal_decide(actor=actor, appeal=appeal, **decision_form.cleaned_data)
                except ValidationError as error:  # decided by another admin meanwhile
                    form_errors_from(decision_form, error)
                else:
                    messages.success(request, _("The appeal is decided."))
                    return redirect(action)
            return self._render(request, action, decision_form=decision_form)
        raise Http404


class MyDecisionsView(LoginRequiredMixin, View):
    """The moderation decisions about the signed-in person, each with its appeal."""

    def get(self, request: HttpRequest) -> HttpResponse:
        page = paginate(request, selectors.actions_about(current_user(request)), 50)
        return render(request, "trust/moderation/mine.html", {"page": page})


def moderation_log(request: HttpRequest) -> HttpResponse:
    """The public moderation log: every action and appeal decision, named as people chose."""
    page = paginate(request, selectors.public_log(), 50)
    entries = [(action, shown_name(action.subject, request.user)) for action in page]
    return render(
        request,
        "trust/moderation/log.html",
        {"page": page, "entries": entries, "private_count": selectors.private_action_count()},
    )
