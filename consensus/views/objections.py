"""The objection register of a round and of a process, and the decisions taken on objections."""

from typing import Any

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from consensus import selectors, services
from consensus.forms import AccommodateForm, CarriedAnswerForm, ReasonForm
from consensus.models import Objection
from consensus.views.base import RoundMixin, participant_name
from deliberation.views.base import ProcessMixin, paginate
from stakeholders.access import current_user
from web.errors import StateConflict


def objector_name(objection: Objection, request: HttpRequest) -> str:
    return participant_name(
        request.user,
        objection.round,
        objection.objector,
        objection.stakeholder_group,
        objection.objector.region,
    )


class RoundObjectionsView(RoundMixin, View):
    template_name = "consensus/objections.html"

    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        later_versions = list(
            self.round.version.proposal.versions.filter(
                number__gt=self.round.version.number
            ).order_by("number")
        )
        entries = []
        for objection in selectors.round_objections(self.round):
            objection.round = self.round
            entries.append(
                {
                    "objection": objection,
                    "name": objector_name(objection, request),
                    "may_resolve": rules.has_perm(
                        "consensus.resolve_objection", request.user, objection
                    ),
                    "may_withdraw": rules.has_perm(
                        "consensus.withdraw_objection", request.user, objection
                    ),
                    "may_acknowledge": rules.has_perm(
                        "consensus.acknowledge_objection", request.user, objection
                    ),
                    "address_form": ReasonForm(prefix=f"address-{objection.pk}"),
                    "accommodate_form": AccommodateForm(
                        prefix=f"accommodate-{objection.pk}", versions=later_versions
                    )
                    if later_versions
                    else None,
                    "carried_form": CarriedAnswerForm(prefix=f"carried-{objection.pk}"),
                }
            )
        return render(request, self.template_name, {**self.round_context(), "entries": entries})


class ObjectionDecisionView(RoundMixin, View):
    """POST /…/objections/<objection>/<decision>/: address, accommodate, withdraw, answer."""

    def post(
        self, request: HttpRequest, slug: str, pk: int, objection: int, decision: str
    ) -> HttpResponse:
        found = (
            Objection.objects.filter(pk=objection, round=self.round).select_related("round").first()
        )
        rule = {
            "address": "consensus.resolve_objection",
            "accommodate": "consensus.resolve_objection",
            "withdraw": "consensus.withdraw_objection",
            "answer": "consensus.withdraw_objection",
            "acknowledge": "consensus.acknowledge_objection",
        }.get(decision)
        if found is None or rule is None or not request.user.is_authenticated:
            raise Http404
        if not rules.has_perm(rule, request.user, found):
            raise Http404
        actor = current_user(request)
        try:
            done = self._decide(request, actor, found, decision)
        except (StateConflict, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            if done:
                messages.success(request, done)
        return redirect(f"{self.round.get_absolute_url()}objections/#objection-{found.pk}")

    def _decide(self, request: HttpRequest, actor: Any, objection: Objection, decision: str) -> str:
        handler = {
            "withdraw": self._withdraw,
            "answer": self._answer,
            "address": self._address,
            "accommodate": self._accommodate,
            "acknowledge": self._acknowledge,
        }[decision]
        return handler(request, actor, objection)

    def _acknowledge(self, request: HttpRequest, actor: Any, objection: Objection) -> str:
        services.objection_acknowledge(actor=actor, objection=objection)
        return _("The objection is acknowledged and now counts.")

    def _withdraw(self, request: HttpRequest, actor: Any, objection: Objection) -> str:
        services.objection_withdraw(actor=actor, objection=objection)
        return _("Your objection is withdrawn.")

    def _answer(self, request: HttpRequest, actor: Any, objection: Objection) -> str:
        form = CarriedAnswerForm(request.POST, prefix=f"carried-{objection.pk}")
        if not form.is_valid():
            raise ValidationError(_("Say whether the new text resolves your objection."))
        services.objection_answer_carried(
            actor=actor, objection=objection, resolved=form.cleaned_data["resolved"]
        )
        return _("Thank you: your answer is recorded.")

    def _address(self, request: HttpRequest, actor: Any, objection: Objection) -> str:
        form = ReasonForm(request.POST, prefix=f"address-{objection.pk}")
        if not form.is_valid():
            raise ValidationError(_("An objection is addressed only with a written reason."))
        services.objection_address(
            actor=actor, objection=objection, reason=form.cleaned_data["reason"]
        )
        return _("The objection is marked addressed, with your reason.")

    def _accommodate(self, request: HttpRequest, actor: Any, objection: Objection) -> str:
        versions = list(objection.round.version.proposal.versions.all())
        form = AccommodateForm(
            request.POST, prefix=f"accommodate-{objection.pk}", versions=versions
        )
        if not form.is_valid():
            raise ValidationError(_("Name the version that accommodates it, and say how."))
        version = next(v for v in versions if v.pk == form.cleaned_data["version"])
        services.objection_accommodate(
            actor=actor, objection=objection, reason=form.cleaned_data["reason"], version=version
        )
        return _("The objection is marked accommodated in version %d.") % version.number


class ProcessObjectionsView(ProcessMixin, View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        objections = [
            o
            for o in selectors.process_objections(self.process)
            if rules.has_perm("consensus.view_round", request.user, o.round)
        ]
        page = paginate(request, objections, 50)
        for objection in page.object_list:
            objection.round.process = self.process  # its facilitators, fetched once
        entries = [{"objection": o, "name": objector_name(o, request)} for o in page.object_list]
        return render(
            request,
            "consensus/process_objections.html",
            {**self.process_context(), "page": page, "entries": entries},
        )
