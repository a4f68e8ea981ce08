"""The result page of a round: figures, the declaration, minority statements and challenges."""

from abc import ABC, abstractmethod
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views import View

from consensus import closeout, page_reads, services
from consensus.charts import group_bars
from consensus.explain import explain
from consensus.forms import DESIGNATION_LABELS, DeclareForm, TextForm
from consensus.models import Challenge, Outcome
from consensus.plainwords import plain_summary
from consensus.views.base import RoundMixin
from deliberation.views.base import may
from stakeholders.access import current_user, posted_pk
from stakeholders.models import User
from stakeholders.presentation import category_label
from web.errors import StateConflict


class ResultView(RoundMixin, View):
    template_name = "consensus/result.html"

    def context(self, request: HttpRequest, **forms: Any) -> dict[str, Any]:
        outcome = page_reads.outcome_of(self.round)
        context: dict[str, Any] = {
            **self.round_context(),
            "outcome": outcome,
            "labels": DESIGNATION_LABELS,
        }
        if outcome is None:
            return context
        outcome.round = self.round
        figures = outcome.figures
        may_declare = may(request, "consensus.declare", self.round)
        still_open = closeout.open_objections(self.round) if may_declare else []
        context.update(
            figures=figures,
            explanation=explain(figures),
            summary=plain_summary(figures),
            computed_label=DESIGNATION_LABELS.get(outcome.computed_designation, ""),
            declared_label=DESIGNATION_LABELS.get(outcome.declared_designation, ""),
            # Drawn only when the figures' fragment is rendered, not when it is cached.
            group_chart=SimpleLazyObject(
                lambda: group_bars(
                    figures["groups"],
                    label=category_label,
                    threshold=figures["parameters"]["group_support_min"],
                )
            ),
            region_chart=SimpleLazyObject(
                lambda: group_bars(figures["regions"]["groups"], label=category_label)
            ),
            economy_chart=SimpleLazyObject(
                lambda: group_bars(figures["development"]["groups"], label=category_label)
            ),
            regional_label=DESIGNATION_LABELS.get(figures["regions"]["designation"], ""),
            development_label=DESIGNATION_LABELS.get(figures["development"]["designation"], ""),
            may_declare=may_declare,
            still_open=still_open,
            declare_form=forms.get("declare_form")
            or DeclareForm(
                initial={"designation": outcome.computed_designation},
                open_objections=len(still_open),
            ),
            may_state=may(request, "consensus.add_minority_statement", self.round)
            and not any(s.author_id == request.user.pk for s in outcome.minority_statements.all()),
            statement_form=forms.get("statement_form") or TextForm(),
            may_challenge=may(request, "consensus.challenge", outcome),
            challenge_form=forms.get("challenge_form") or TextForm(),
            may_answer=may(request, "consensus.answer_challenge", self.round),
        )
        return context

    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        return render(request, self.template_name, self.context(request))


class _ResultAction(ResultView, ABC):
    """POST /…/result/<action>/: one action on the outcome, by a subclass per action."""

    rule = ""
    form_name = ""
    form_class: type[forms.Form] = TextForm

    def rule_target(self, outcome: Outcome) -> Any:
        return self.round

    def bound_form(self, request: HttpRequest) -> forms.Form:
        return self.form_class(request.POST)

    @abstractmethod
    def act(self, request: HttpRequest, actor: User, outcome: Outcome, form: forms.Form) -> str:
        """Call the service; returns the message to show. Raises what the service raises."""

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        outcome = page_reads.outcome_of(self.round)
        if outcome is None or not request.user.is_authenticated:
            raise Http404
        outcome.round = self.round
        if not may(request, self.rule, self.rule_target(outcome)):
            raise Http404
        form = self.bound_form(request)
        if not form.is_valid():
            return self.invalid(request, form)
        try:
            messages.success(request, self.act(request, current_user(request), outcome, form))
        except (StateConflict, ValidationError, PermissionError) as error:
            if isinstance(error, ValidationError) and self.form_name:
                for field, errors in getattr(
                    error, "message_dict", {"__all__": error.messages}
                ).items():
                    form.add_error(field if field in form.fields else None, errors)
                return self.invalid(request, form)
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(f"{self.round.get_absolute_url()}result/")

    def invalid(self, request: HttpRequest, form: forms.Form) -> HttpResponse:
        forms_shown = {self.form_name: form} if self.form_name else {}
        return render(request, self.template_name, self.context(request, **forms_shown), status=400)


class DeclareView(_ResultAction):
    rule = "consensus.declare"
    form_name = "declare_form"
    form_class = DeclareForm

    def bound_form(self, request: HttpRequest) -> forms.Form:
        # The explicit choice to declare over open objections is always read from a POST; the
        # service refuses it missing while one is open.
        return DeclareForm(request.POST, open_objections=1)

    def act(self, request: HttpRequest, actor: User, outcome: Outcome, form: forms.Form) -> str:
        services.outcome_declare(
            actor=actor,
            round_=self.round,
            designation_=form.cleaned_data["designation"],
            rationale=form.cleaned_data["rationale"],
            over_open_objections=form.cleaned_data["over_open_objections"],
        )
        return _("The outcome is declared on the record.")


class MinorityStatementView(_ResultAction):
    rule = "consensus.add_minority_statement"
    form_name = "statement_form"

    def act(self, request: HttpRequest, actor: User, outcome: Outcome, form: forms.Form) -> str:
        text = form.cleaned_data["text"]
        services.minority_statement_add(actor=actor, outcome=outcome, text=text)
        return _("Your minority statement is published with the outcome.")


class ChallengeView(_ResultAction):
    rule = "consensus.challenge"
    form_name = "challenge_form"

    def rule_target(self, outcome: Outcome) -> Any:
        return outcome

    def act(self, request: HttpRequest, actor: User, outcome: Outcome, form: forms.Form) -> str:
        services.challenge_create(actor=actor, outcome=outcome, text=form.cleaned_data["text"])
        return _("Your challenge is recorded; a facilitator will answer it.")


class ChallengeAnswerView(_ResultAction):
    rule = "consensus.answer_challenge"

    def act(self, request: HttpRequest, actor: User, outcome: Outcome, form: forms.Form) -> str:
        challenge = Challenge.objects.filter(
            outcome=outcome, pk=posted_pk(request, "challenge")
        ).first()
        if challenge is None:
            raise Http404
        services.challenge_answer(
            actor=actor, challenge=challenge, answer=form.cleaned_data["text"]
        )
        return _("Your answer is published.")


class _UnknownAction(ResultView):
    """A GET shows the result page, as on /…/result/; a POST of an unknown action is not found."""

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        raise Http404


_ACTIONS = {
    "declare": DeclareView.as_view(),
    "state": MinorityStatementView.as_view(),
    "challenge": ChallengeView.as_view(),
    "answer": ChallengeAnswerView.as_view(),
}
_UNKNOWN = _UnknownAction.as_view()


class ResultActionView(View):
    """/…/result/<action>/ (one URL, as before): hands the request to the view of that action."""

    def get(self, request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponseBase:
        return _ACTIONS.get(action, _UNKNOWN)(request, slug=slug, pk=pk)

    def post(self, request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponseBase:
        return _ACTIONS.get(action, _UNKNOWN)(request, slug=slug, pk=pk)
