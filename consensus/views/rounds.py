"""Round pages: start a round on a version, the round page with the ballot form, open and close."""

from typing import Any

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from consensus import page_reads, selectors, services
from consensus.forms import BallotForm, ExcludeForm, RoundForm
from consensus.services import SUSPENDED_BALLOT
from consensus.views.base import RoundMixin, voter_name
from consensus.views.closeout import closeout_context
from deliberation.models import ProposalVersion
from deliberation.rules import facilitates, participates
from deliberation.views.base import (
    Counted,
    ProcessMixin,
    ProcessRuleMixin,
    form_errors_from,
    may,
    paginate,
)
from stakeholders.access import RuleRequiredMixin, current_user
from stakeholders.models import User
from web.errors import StateConflict

VOTERS_PER_PAGE = 100


class RoundCreateView(ProcessRuleMixin, View):
    """A facilitator starts a (draft) round on one proposal version."""

    rule = "consensus.add_round"
    template_name = "consensus/round_form.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        version = (
            ProposalVersion.objects.filter(
                pk=kwargs["version"], proposal__issue__process=self.process
            )
            .select_related("proposal__issue")
            .first()
        )
        if version is None:
            raise Http404
        self.version = version

    def _render(self, request: HttpRequest, form: RoundForm) -> HttpResponse:
        context = {
            **self.process_context(),
            "version": self.version,
            "proposal": self.version.proposal,
            "issue": self.version.proposal.issue,
            "form": form,
        }
        return render(request, self.template_name, context)

    def get(self, request: HttpRequest, slug: str, version: int) -> HttpResponse:
        return self._render(request, RoundForm())

    def post(self, request: HttpRequest, slug: str, version: int) -> HttpResponse:
        form = RoundForm(request.POST)
        if form.is_valid():
            try:
                round_ = services.round_create(
                    actor=current_user(request), version=self.version, **form.cleaned_data
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(
                    request, _("The round is ready as a draft. Open it when you are ready.")
                )
                return redirect(round_)
        return self._render(request, form)


class ProcessRoundsView(ProcessMixin, View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        rounds = [
            r
            for r in selectors.process_rounds(self.process)
            if rules.has_perm("consensus.view_round", request.user, r)
        ]
        return render(
            request, "consensus/process_rounds.html", {**self.process_context(), "rounds": rounds}
        )


class RoundDetailView(RoundMixin, View):
    template_name = "consensus/round_detail.html"

    def context(self, request: HttpRequest, form: BallotForm | None = None) -> dict[str, Any]:
        viewer = request.user
        history = page_reads.ballot_history(self.round, viewer)  # type: ignore[arg-type]
        ballot = history[-1] if history and history[-1].current else None
        may_cast = may(request, "consensus.cast_ballot", self.round)
        if form is None and may_cast:
            initial = (
                {
                    "position": ballot.position,
                    "rationale": ballot.rationale,
                    "proposed_change": ballot.proposed_change,
                    "affiliation": ballot.affiliation_id,
                }
                if ballot
                else {}
            )
            form = BallotForm(user=current_user(request), initial=initial)
        voters = paginate(
            request,
            Counted(
                page_reads.RoundVoters(self.round),
                getattr(self.round, "current_ballots", None) or 0,
            ),
            VOTERS_PER_PAGE,
        )
        return {
            **self.round_context(),
            "ballot": ballot,
            "history": history if ballot else [],
            "form": form if may_cast else None,
            "may_cast": may_cast,
            "is_participant": may(request, "deliberation.add_issue", self.process),
            "voters": [(b, voter_name(b, self.round, viewer)) for b in voters.object_list],
            "voter_page": voters,
            "may_open": may(request, "consensus.open_round", self.round),
            "may_close": may(request, "consensus.close_round", self.round)
            and self.round.status == "open",
            "may_exclude": may(request, "consensus.exclude_ballot", self.round),
            "exclusions": page_reads.exclusions(self.round),
            "missing_groups": selectors.expected_groups_without_ballot(self.round),
            "is_facilitator": facilitates(request.user, self.round),
            "takes_part": participates(request.user, self.round),
            **closeout_context(request, self.round),
        }

    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        return render(request, self.template_name, self.context(request))


class BallotCastView(RoundMixin, RuleRequiredMixin, View):
    """POST: cast or change my ballot (works without JavaScript)."""

    # Whether the round still takes ballots is checked by the service under the round's lock;
    # a late form then gets a message, not a 404.
    rule = "consensus.vote_in_process"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if isinstance(request.user, User) and request.user.is_suspended:
            messages.error(request, SUSPENDED_BALLOT)
            return redirect("consensus:round", slug=kwargs["slug"], pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        form = BallotForm(request.POST, user=current_user(request))
        if form.is_valid():
            data = form.cleaned_data
            try:
                _ballot, first = services.ballot_cast(
                    actor=current_user(request),
                    round_=self.round,
                    position=data["position"],
                    rationale=data["rationale"],
                    proposed_change=data["proposed_change"],
                    affiliation=data["affiliation"],
                )
            except StateConflict as error:
                messages.error(request, str(error))
                return redirect(self.round)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(
                    request,
                    _("Your ballot is cast.")
                    if first
                    else _("Your ballot is changed; the earlier one is kept in its history."),
                )
                return redirect(self.round)
        detail = RoundDetailView()
        detail.setup(request, slug=slug, pk=pk)
        return render(request, detail.template_name, detail.context(request, form), status=400)


class RoundTransitionView(RoundMixin, RuleRequiredMixin, View):
    """POST: open or close the round (facilitators)."""

    transition = ""

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        actor = current_user(request)
        try:
            if self.transition == "open":
                services.round_open(actor=actor, round_=self.round)
                messages.success(request, _("The round is open; participants were told."))
            else:
                services.round_close(actor=actor, round_=self.round)
                messages.success(request, _("The round is closed; its outcome is being computed."))
        except (StateConflict, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(self.round)


class RoundOpenView(RoundTransitionView):
    rule = "consensus.open_round"
    transition = "open"


class RoundCloseView(RoundTransitionView):
    rule = "consensus.close_round"
    transition = "close"


class BallotExcludeView(RoundMixin, RuleRequiredMixin, View):
    rule = "consensus.exclude_ballot"

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        form = ExcludeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a written reason to exclude a ballot."))
            return redirect(self.round)
        person = User.objects.filter(pk=form.cleaned_data["user"]).first()
        if person is None:
            raise Http404
        try:
            services.ballot_exclude(
                actor=current_user(request),
                round_=self.round,
                user=person,
                reason=form.cleaned_data["reason"],
            )
        except (StateConflict, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request, _("The ballot is excluded from the count; the reason is public.")
            )
        return redirect(self.round)
