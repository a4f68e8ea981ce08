"""Issue pages: open an issue, read its threaded discussion, comment, reply, edit, history."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from deliberation import page_reads, selectors, services
from deliberation.forms import CommentEditForm, CommentForm, IssueForm, IssueStatusForm
from deliberation.models import Comment, Issue, ProposalVersion
from deliberation.views.base import (
    Counted,
    ProcessMixin,
    ProcessRuleMixin,
    form_errors_from,
    may,
    paginate,
)
from stakeholders.access import current_user


class IssueCreateView(ProcessRuleMixin, View):
    rule = "deliberation.add_issue"
    template_name = "deliberation/issue_form.html"

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return render(request, self.template_name, {**self.process_context(), "form": IssueForm()})

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = IssueForm(request.POST)
        if form.is_valid():
            issue = services.issue_create(
                actor=current_user(request), process=self.process, **form.cleaned_data
            )
            messages.success(request, _("The issue is open for discussion."))
            return redirect(issue)
        return render(request, self.template_name, {**self.process_context(), "form": form})


class IssueMixin(ProcessMixin):
    issue: Issue

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        issue = page_reads.issue_get(self.process, kwargs["pk"])
        if issue is None:
            raise Http404
        issue.process = self.process
        self.issue = issue

    def get_permission_object(self) -> Any:
        return self.issue


def thread_context(
    request: HttpRequest, issue: Issue, version: ProposalVersion | None = None
) -> dict[str, Any]:
    """A page of threads (top comments with all their replies) and what the viewer may do."""
    roots = selectors.thread_roots(issue, version=version)
    known = getattr(issue, "thread_count", None) if version is None else None
    page = paginate(
        request, roots if known is None else Counted(roots, known or 0), selectors.THREADS_PER_PAGE
    )
    reply_to = request.GET.get("reply_to", "")
    return {
        "threads": selectors.threads(list(page.object_list), issue),
        "thread_page": page,
        "may_comment": may(request, "deliberation.add_comment", issue),
        "reply_to": int(reply_to) if reply_to.isdigit() else None,
    }


def comment_form_for(request: HttpRequest, data: Any = None, **initial: Any) -> CommentForm | None:
    if not request.user.is_authenticated:
        return None
    return CommentForm(data, user=current_user(request), initial=initial)


def post_comment(request: HttpRequest, issue: Issue) -> tuple[Comment | None, CommentForm]:
    """Validate and create a comment (reply, version comment); errors land on the form."""
    form = CommentForm(request.POST, user=current_user(request))
    if not form.is_valid():
        return None, form
    data = form.cleaned_data
    try:
        parent = Comment.objects.get(pk=data["parent"]) if data.get("parent") else None
        version = ProposalVersion.objects.get(pk=data["version"]) if data.get("version") else None
        comment = services.comment_create(
            actor=current_user(request),
            issue=issue,
            body=data["body"],
            parent=parent,
            version=version,
            affiliation=data["affiliation"],
            attribution=data["attribution"],
        )
    except (Comment.DoesNotExist, ProposalVersion.DoesNotExist):
        form.add_error(None, _("The comment you reply to, or the version, does not exist."))
    except ValidationError as error:
        form_errors_from(form, error)
    else:
        return comment, form
    return None, form


class IssueDetailView(IssueMixin, View):
    template_name = "deliberation/issue_detail.html"

    def context(self, request: HttpRequest, form: CommentForm | None = None) -> dict[str, Any]:
        return {
            **self.process_context(),
            "issue": self.issue,
            "proposals": page_reads.issue_proposals(self.issue),
            "comment_form": form or comment_form_for(request),
            "may_propose": may(request, "deliberation.add_proposal", self.issue),
            "may_change": may(request, "deliberation.change_issue", self.issue),
            **thread_context(request, self.issue),
        }

    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        return render(request, self.template_name, self.context(request))

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        if not may(request, "deliberation.add_comment", self.issue):
            if not request.user.is_authenticated:
                return redirect(f"/accounts/login/?next={request.path}")
            messages.error(request, _("Join the process before you comment."))
            return redirect(self.issue)
        comment, form = post_comment(request, self.issue)
        if comment is None:
            return render(request, self.template_name, self.context(request, form), status=400)
        messages.success(request, _("Your comment was posted."))
        return redirect(f"{self.issue.get_absolute_url()}#comment-{comment.pk}")


class IssueStatusView(IssueMixin, ProcessRuleMixin, View):
    rule = "deliberation.change_issue"

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        form = IssueStatusForm(request.POST)
        if form.is_valid():
            services.issue_set_status(
                actor=current_user(request), issue=self.issue, status=form.cleaned_data["status"]
            )
        return redirect(self.issue)


class CommentMixin(ProcessMixin):
    comment: Comment

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        comment = selectors.comment_get(kwargs["pk"])
        if comment is None or comment.issue.process_id != self.process.pk:
            raise Http404
        self.comment = comment

    def get_permission_object(self) -> Any:
        return self.comment


class CommentEditView(CommentMixin, ProcessRuleMixin, View):
    rule = "deliberation.change_comment"
    template_name = "deliberation/comment_edit.html"

    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        form = CommentEditForm(initial={"body": self.comment.body})
        return render(
            request,
            self.template_name,
            {**self.process_context(), "comment": self.comment, "form": form},
        )

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        form = CommentEditForm(request.POST)
        if form.is_valid():
            try:
                services.comment_edit(
                    actor=current_user(request),
                    comment=self.comment,
                    body=form.cleaned_data["body"],
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(
                    request, _("Your comment was updated; the earlier text stays in its history.")
                )
                return redirect(
                    f"{self.comment.issue.get_absolute_url()}#comment-{self.comment.pk}"
                )
        return render(
            request,
            self.template_name,
            {**self.process_context(), "comment": self.comment, "form": form},
        )


class CommentHistoryView(CommentMixin, View):
    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        return render(
            request,
            "deliberation/comment_history.html",
            {
                **self.process_context(),
                "comment": self.comment,
                "revisions": self.comment.revisions.all(),
            },
        )
