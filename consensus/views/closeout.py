"""The round page's close-out panel (next steps, a later deadline) and the page of the method."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from consensus import closeout
from consensus.forms import ExtendForm
from consensus.models import Objection, ObjectionState, Outcome, Round, RoundStatus
from consensus.views.base import RoundMixin
from deliberation.views.base import may
from stakeholders.access import RuleRequiredMixin, current_user
from web.errors import StateConflict


def closeout_context(request: HttpRequest, round_: Round) -> dict[str, Any]:
    """What the facilitator panel of a round page needs: whether the deadline may be extended
    and, once the round is closed, the next steps (open objections to answer, the declaration)."""
    context: dict[str, Any] = {
        "may_extend": may(request, "consensus.extend_round", round_),
        "may_declare": False,
    }
    if context["may_extend"]:
        context["extend_form"] = ExtendForm(initial={"closes_at": round_.closes_at})
    if round_.status == RoundStatus.CLOSED and may(request, "consensus.declare", round_):
        context.update(
            may_declare=True,
            open_objection_count=Objection.objects.filter(
                round=round_, state=ObjectionState.OPEN
            ).count(),
            outcome_ready=Outcome.objects.filter(round=round_).exists(),
        )
    return context


class RoundExtendView(RoundMixin, RuleRequiredMixin, View):
    """POST: move the deadline of a draft or open round later (facilitators)."""

    rule = "consensus.extend_round"

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        form = ExtendForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the new deadline as a date and time."))
            return redirect(self.round)
        try:
            closeout.round_extend(
                actor=current_user(request),
                round_=self.round,
                closes_at=form.cleaned_data["closes_at"],
            )
        except (StateConflict, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("The deadline is extended; participants were told."))
        return redirect(self.round)


class MethodView(TemplateView):
    """How a round is tallied, for people: the result pages link here (docs/design.md §3)."""

    template_name = "consensus/method.html"
