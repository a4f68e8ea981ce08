"""Proposal pages: propose, read any version, compare two versions, publish a new version."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from deliberation import selectors, services
from deliberation.diff import diff_stats, word_diff
from deliberation.forms import DiffForm, ProposalForm, VersionForm
from deliberation.models import Proposal, ProposalVersion
from deliberation.views.base import ProcessMixin, ProcessRuleMixin, form_errors_from, may
from deliberation.views.issues import IssueMixin, comment_form_for, post_comment, thread_context
from stakeholders.access import current_user


class ProposalCreateView(IssueMixin, ProcessRuleMixin, View):
    rule = "deliberation.add_proposal"
    template_name = "deliberation/proposal_form.html"

    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        return render(request, self.template_name, self._context(ProposalForm()))

    def _context(self, form: ProposalForm) -> dict[str, Any]:
        return {**self.process_context(), "issue": self.issue, "form": form}

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        form = ProposalForm(request.POST)
        if form.is_valid():
            try:
                proposal = services.proposal_create(
                    actor=current_user(request), issue=self.issue, **form.cleaned_data
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Your proposal is published as version 1."))
                return redirect(proposal)
        return render(request, self.template_name, self._context(form))


class ProposalMixin(ProcessMixin):
    proposal: Proposal
    versions: list[ProposalVersion]

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        proposal = selectors.proposal_get(self.process, kwargs["pk"])
        if proposal is None:
            raise Http404
        proposal.issue.process = self.process
        self.proposal = proposal
        self.versions = list(proposal.versions.all())
        for version in self.versions:
            version.proposal = proposal

    def get_permission_object(self) -> Any:
        return self.proposal

    def version(self, number: int | None) -> ProposalVersion:
        if number is None:
            return self.versions[-1]
        for version in self.versions:
            if version.number == number:
                return version
        raise Http404

    def proposal_context(self) -> dict[str, Any]:
        return {
            **self.process_context(),
            "issue": self.proposal.issue,
            "proposal": self.proposal,
            "versions": self.versions,
        }


class ProposalDetailView(ProposalMixin, View):
    """One version of a proposal (the latest by default) with the comments made on it."""

    template_name = "deliberation/proposal_detail.html"

    def context(self, request: HttpRequest, number: int | None, form: Any = None) -> dict[str, Any]:
        version = self.version(number)
        return {
            **self.proposal_context(),
            "version": version,
            "latest": self.versions[-1],
            "diff_form": DiffForm(
                initial={"old": max(1, version.number - 1), "new": version.number}
            ),
            "may_revise": may(request, "deliberation.add_version", self.proposal),
            "comment_form": form or comment_form_for(request, version=version.pk),
            **thread_context(request, self.proposal.issue, version),
        }

    def get(
        self, request: HttpRequest, slug: str, pk: int, number: int | None = None
    ) -> HttpResponse:
        return render(request, self.template_name, self.context(request, number))

    def post(
        self, request: HttpRequest, slug: str, pk: int, number: int | None = None
    ) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        if not may(request, "deliberation.add_comment", self.proposal.issue):
            messages.error(request, _("Join the process before you comment."))
            return redirect(self.version(number))
        comment, form = post_comment(request, self.proposal.issue)
        if comment is None:
            return render(
                request, self.template_name, self.context(request, number, form), status=400
            )
        messages.success(request, _("Your comment was posted."))
        return redirect(f"{self.version(number).get_absolute_url()}#comment-{comment.pk}")


class ProposalDiffView(ProposalMixin, View):
    template_name = "deliberation/proposal_diff.html"

    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        form = DiffForm(request.GET or None)
        if not form.is_valid():
            if len(self.versions) < 2:
                return redirect(self.proposal)
            return redirect(
                reverse("deliberation:proposal_diff", args=[slug, pk])
                + f"?old={self.versions[-2].number}&new={self.versions[-1].number}"
            )
        old, new = self.version(form.cleaned_data["old"]), self.version(form.cleaned_data["new"])
        chunks = word_diff(old.text, new.text)
        added, removed = diff_stats(chunks)
        return render(
            request,
            self.template_name,
            {
                **self.proposal_context(),
                "old": old,
                "new": new,
                "form": form,
                "chunks": chunks,
                "added": added,
                "removed": removed,
            },
        )


class VersionCreateView(ProposalMixin, ProcessRuleMixin, View):
    rule = "deliberation.add_version"
    template_name = "deliberation/version_form.html"

    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        latest = self.versions[-1]
        form = VersionForm(initial={"text": latest.text, "plain_summary": latest.plain_summary})
        return render(request, self.template_name, {**self.proposal_context(), "form": form})

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        form = VersionForm(request.POST)
        if form.is_valid():
            try:
                version = services.version_publish(
                    actor=current_user(request), proposal=self.proposal, **form.cleaned_data
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Version %d is published.") % version.number)
                return redirect(version)
        return render(request, self.template_name, {**self.proposal_context(), "form": form})
