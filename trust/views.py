"""Pages of trust: a user's trust page, endorsing, commitments and attestations, the staff page."""

from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import ListView

from deliberation.models import Process
from stakeholders.access import RuleRequiredMixin, current_user
from stakeholders.selectors import stakeholder_get
from trust import scores, selectors, services
from trust.forms import AttestationForm, CommitmentForm, EndorsementForm, ReplyForm
from trust.models import Attestation, Commitment, Endorsement, TrustComputation
from trust.presentation import endorse_controls, shown_name


def _next_url(request: HttpRequest, default: str) -> str:
    """Where to go back after a button: the posted `next` if it is on this site, else `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def trust_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A user's trust, component by component, with how and when it was computed."""
    profile = stakeholder_get(pk)
    if profile is None:
        raise Http404
    viewer = request.user
    score = selectors.latest_score(profile)
    endorsers = Paginator(selectors.endorsers(profile), 50).get_page(request.GET.get("page"))
    endorsed = selectors.endorsed_by(profile)
    commitments = selectors.commitments_visible_to(viewer).filter(author=profile)
    return render(
        request,
        "trust/trust.html",
        {
            "profile": profile,
            "name": shown_name(profile, viewer),
            "score": score,
            "computation": score.computation if score else None,
            "components": score.components if score else {},
            "latest": selectors.latest_computation(),
            "endorsers": endorsers,
            "endorser_rows": [
                (e, e.from_user_id, shown_name(e.from_user, viewer)) for e in endorsers
            ],
            "endorsed_rows": [
                (e, e.to_user_id, shown_name(e.to_user, viewer)) for e in endorsed[:50]
            ],
            "endorsed_count": endorsed.count(),
            "commitments": commitments[:20],
            "commitment_count": commitments.count(),
            "may_recompute": rules.has_perm("trust.recompute", viewer),
            "compares": rules.has_perm("trust.view_comparison", viewer, profile),
            **endorse_controls(viewer, profile),
        },
    )


class EndorseView(LoginRequiredMixin, View):
    """POST: endorse the stakeholder `pk`, with an optional note."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        profile = stakeholder_get(pk)
        if profile is None:
            raise Http404
        back = _next_url(request, reverse("trust:trust", args=[pk]))
        form = EndorsementForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for e in form.errors.get("note", [])))
            return HttpResponseRedirect(back)
        try:
            services.endorsement_give(
                actor=current_user(request), to_user=profile, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                _("You endorse %s. Trust is recomputed every night.")
                % shown_name(profile, request.user),
            )
        return HttpResponseRedirect(back)


class WithdrawEndorsementView(RuleRequiredMixin, View):
    """POST: withdraw one of your endorsements (someone else's is 404)."""

    rule = "trust.withdraw_endorsement"

    def get_permission_object(self) -> Endorsement:
        return get_object_or_404(
            Endorsement.objects.select_related("to_user"), pk=self.kwargs["pk"]
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        endorsement = self.get_permission_object()
        back = _next_url(request, reverse("trust:trust", args=[endorsement.to_user_id]))
        try:
            services.endorsement_withdraw(actor=current_user(request), endorsement=endorsement)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Your endorsement was withdrawn."))
        return HttpResponseRedirect(back)


class CommitmentListView(ListView[Commitment]):
    """Every commitment the visitor may see; `?process=<slug>` and `?author=<id>` narrow it."""

    template_name = "trust/commitments.html"
    paginate_by = 50
    context_object_name = "commitments"

    def get_queryset(self) -> QuerySet[Commitment]:
        commitments = selectors.commitments_visible_to(self.request.user)
        self.process: Process | None = None
        slug = self.request.GET.get("process", "")
        if slug:
            self.process = get_object_or_404(
                selectors.visible_processes(self.request.user),
                slug=slug,
            )
            commitments = commitments.filter(process=self.process)
        self.author = None
        author = self.request.GET.get("author", "")
        if author:
            self.author = stakeholder_get(int(author)) if author.isdigit() else None
            if self.author is None:
                raise Http404
            commitments = commitments.filter(author=self.author)
        return commitments

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        viewer = self.request.user
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            process=self.process,
            author=self.author,
            author_name=shown_name(self.author, viewer) if self.author else "",
            rows=[(c, shown_name(c.author, viewer)) for c in context["commitments"]],
            query=query.urlencode(),
        )
        return context


class CommitmentCreateView(LoginRequiredMixin, View):
    template_name = "trust/commitment_new.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CommitmentForm(
            user=current_user(request), initial={"process": request.GET.get("process", "")}
        )
        return render(request, self.template_name, {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CommitmentForm(request.POST, user=current_user(request))
        if form.is_valid():
            try:
                commitment = services.commitment_create(
                    actor=current_user(request), **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)  # shown on the form, never a 500
            else:
                messages.success(request, _("Your commitment is recorded."))
                return redirect(commitment)
        return render(request, self.template_name, {"form": form})


def _visible_commitment(request: HttpRequest, pk: int) -> Commitment:
    """The commitment, or 404 if it does not exist or its process is hidden from the visitor."""
    return get_object_or_404(
        selectors.commitments_visible_to(request.user),
        pk=pk,
    )


class CommitmentDetailView(View):
    """A commitment with its attestations and the author's replies; POST attests it."""

    template_name = "trust/commitment.html"

    def _render(
        self, request: HttpRequest, commitment: Commitment, form: AttestationForm | None = None
    ) -> HttpResponse:
        viewer = request.user
        attestations = list(selectors.attestations_of(commitment))
        for attestation in attestations:
            attestation.commitment = commitment  # the rules read it: no query per attestation
        may_attest = rules.has_perm("trust.attest_commitment", viewer, commitment)
        return render(
            request,
            self.template_name,
            {
                "commitment": commitment,
                "author_name": shown_name(commitment.author, viewer),
                "rows": [
                    (
                        attestation,
                        shown_name(attestation.attester, viewer),
                        rules.has_perm("trust.offer_reply", viewer, attestation),
                    )
                    for attestation in attestations
                ],
                "form": form if form is not None else (AttestationForm() if may_attest else None),
                "reply_form": ReplyForm(),
                "is_author": viewer.is_authenticated and commitment.author_id == viewer.pk,
                "attested": viewer.is_authenticated
                and any(a.attester_id == viewer.pk for a in attestations),
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, _visible_commitment(request, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        commitment = _visible_commitment(request, pk)
        form = AttestationForm(request.POST)
        if form.is_valid():
            try:
                services.attestation_give(
                    actor=current_user(request), commitment=commitment, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)  # shown on the form, never a 500
            else:
                messages.success(request, _("Thank you: your attestation is published."))
                return redirect(commitment)
        return self._render(request, commitment, form)


class AttestationReplyView(RuleRequiredMixin, View):
    """POST: the commitment's author replies to an attestation (404 for anyone else)."""

    rule = "trust.reply_attestation"

    def get_permission_object(self) -> Attestation:
        return get_object_or_404(
            Attestation.objects.select_related("commitment__process", "attester"),
            pk=self.kwargs["pk"],
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        attestation = self.get_permission_object()
        form = ReplyForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Write a reply."))
        else:
            try:
                services.attestation_reply(
                    actor=current_user(request), attestation=attestation, **form.cleaned_data
                )
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(request, _("Your reply is published."))
        return redirect(attestation.commitment)


class StaffTrustView(RuleRequiredMixin, View):
    """Staff page: the trust computations so far; POST recomputes now."""

    rule = "trust.recompute"
    template_name = "trust/staff_trust.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        page = Paginator(selectors.computations(), 20).get_page(request.GET.get("page"))
        return render(request, self.template_name, {"page": page})

    def post(self, request: HttpRequest) -> HttpResponse:
        computation = scores.trust_compute(
            actor=current_user(request), trigger=TrustComputation.Trigger.ADMIN
        )
        messages.success(
            request,
            _("Trust recomputed for %(users)s over %(edges)s.")
            % {
                "users": ngettext("%(n)d stakeholder", "%(n)d stakeholders", computation.users)
                % {"n": computation.users},
                "edges": ngettext(
                    "%(n)d endorsement", "%(n)d endorsements", computation.endorsements
                )
                % {"n": computation.endorsements},
            },
        )
        return HttpResponseRedirect(_next_url(request, reverse("trust:staff")))
