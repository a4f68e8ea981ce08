"""The result page of a round: figures, the declaration, minority statements and challenges."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from consensus import closeout, selectors, services
from consensus.charts import group_bars
from consensus.explain import explain
from consensus.forms import DESIGNATION_LABELS, DeclareForm, TextForm
from consensus.models import Challenge
from consensus.plainwords import plain_summary
from consensus.views.base import RoundMixin
from deliberation.views.base import may
from record.errors import StateConflict
from stakeholders.access import current_user, posted_pk
from stakeholders.presentation import category_label


class ResultView(RoundMixin, View):
    template_name = "consensus/result.html"

    def context(self, request: HttpRequest, **forms: Any) -> dict[str, Any]:
        outcome = selectors.outcome_of(self.round)
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
            group_chart=group_bars(
                figures["groups"],
                label=category_label,
                threshold=figures["parameters"]["group_support_min"],
            ),
            region_chart=group_bars(figures["regions"]["groups"], label=category_label),
            economy_chart=group_bars(figures["development"]["groups"], label=category_label),
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


class ResultActionView(ResultView):
    """POST /…/result/<action>/: declare, state (minority statement), challenge, answer."""

    def post(self, request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
        outcome = selectors.outcome_of(self.round)
        if outcome is None or not request.user.is_authenticated:
            raise Http404
        outcome.round = self.round
        actor = current_user(request)
        rule, form_name, form = {
            "declare": (
                "consensus.declare",
                "declare_form",
                DeclareForm(request.POST, open_objections=1),
            ),
            "state": ("consensus.add_minority_statement", "statement_form", TextForm(request.POST)),
            "challenge": ("consensus.challenge", "challenge_form", TextForm(request.POST)),
            "answer": ("consensus.answer_challenge", "", TextForm(request.POST)),
        }.get(action, ("", "", None))
        target = outcome if action == "challenge" else self.round
        if form is None or not may(request, rule, target):
            raise Http404
        if not form.is_valid():
            return render(
                request, self.template_name, self.context(request, **{form_name: form}), status=400
            )
        text = form.cleaned_data.get("text", "")
        try:
            if action == "declare":
                services.outcome_declare(
                    actor=actor,
                    round_=self.round,
                    designation_=form.cleaned_data["designation"],
                    rationale=form.cleaned_data["rationale"],
                    over_open_objections=form.cleaned_data["over_open_objections"],
                )
                messages.success(request, _("The outcome is declared on the record."))
            elif action == "state":
                services.minority_statement_add(actor=actor, outcome=outcome, text=text)
                messages.success(
                    request, _("Your minority statement is published with the outcome.")
                )
            elif action == "challenge":
                services.challenge_create(actor=actor, outcome=outcome, text=text)
                messages.success(
                    request, _("Your challenge is recorded; a facilitator will answer it.")
                )
            else:
                challenge = Challenge.objects.filter(
                    outcome=outcome, pk=posted_pk(request, "challenge")
                ).first()
                if challenge is None:
                    raise Http404
                services.challenge_answer(actor=actor, challenge=challenge, answer=text)
                messages.success(request, _("Your answer is published."))
        except (StateConflict, ValidationError, PermissionError) as error:
            if isinstance(error, ValidationError) and form_name:
                for field, errors in getattr(
                    error, "message_dict", {"__all__": error.messages}
                ).items():
                    form.add_error(field if field in form.fields else None, errors)
                return render(
                    request,
                    self.template_name,
                    self.context(request, **{form_name: form}),
                    status=400,
                )
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(f"{self.round.get_absolute_url()}result/")
