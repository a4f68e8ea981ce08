"""Process pages: list, create, read, edit, archive, join."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from deliberation import page_reads, selectors, services
from deliberation.forms import JoinForm, ProcessForm
from deliberation.models import Process
from deliberation.views.base import ProcessMixin, ProcessRuleMixin, form_errors_from, may, paginate
from stakeholders.access import RuleRequiredMixin, current_user
from stakeholders.models import StakeholderGroup


def process_list_view(request: HttpRequest) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    page = paginate(request, selectors.process_list(user), 30)
    return render(
        request,
        "deliberation/process_list.html",
        {"page": page, "may_create": may(request, "deliberation.add_process")},
    )


class ProcessCreateView(RuleRequiredMixin, View):
    rule = "deliberation.add_process"
    template_name = "deliberation/process_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ProcessForm(initial={"expected_groups": list(StakeholderGroup.values)})
        return render(request, self.template_name, {"form": form, "creating": True})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ProcessForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                process = services.process_create(
                    actor=current_user(request),
                    title=data.pop("title"),
                    slug=data.pop("slug"),
                    **data,
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("The process was created. You facilitate it."))
                return redirect(process)
        return render(request, self.template_name, {"form": form, "creating": True})


class ProcessDetailView(ProcessMixin, View):
    template_name = "deliberation/process_detail.html"

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return render(request, self.template_name, self.context(request))

    def context(self, request: HttpRequest, join_form: JoinForm | None = None) -> dict[str, Any]:
        user = request.user if request.user.is_authenticated else None
        participation = page_reads.participation_of(self.process, user)
        may_join = may(request, "deliberation.join_process", self.process)
        if join_form is None and may_join:
            join_form = JoinForm(
                user=current_user(request),
                initial={"affiliation": participation.affiliation_id if participation else None},
            )
        return {
            **self.process_context(),
            "issues": paginate(
                request,
                selectors.process_issues(self.process),
                30,
                first=lambda n: page_reads.first_issues(self.process, n),
            ),
            "participation": participation,
            "join_form": join_form if may_join else None,
            "may_add_issue": may(request, "deliberation.add_issue", self.process),
            "may_change": may(request, "deliberation.change_process", self.process),
            "facilitators": page_reads.facilitators(self.process),
        }


class ProcessJoinView(ProcessRuleMixin, View):
    """POST: join the process wearing a hat (again: change the default hat)."""

    rule = "deliberation.join_process"

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = JoinForm(request.POST, user=current_user(request))
        if not form.is_valid():
            detail = ProcessDetailView()
            detail.setup(request, slug=slug)
            return render(request, detail.template_name, detail.context(request, form), status=400)
        services.participation_join(
            actor=current_user(request),
            process=self.process,
            affiliation=form.cleaned_data["affiliation"],
        )
        messages.success(request, _("You take part in this process wearing the hat you chose."))
        return redirect(self.process)


class ProcessEditView(ProcessRuleMixin, View):
    rule = "deliberation.change_process"
    template_name = "deliberation/process_form.html"

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = ProcessForm(instance=self.process, editing=True)
        return render(request, self.template_name, {**self.process_context(), "form": form})

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = ProcessForm(
            request.POST, instance=Process.objects.get(pk=self.process.pk), editing=True
        )
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("slug")
            try:
                services.process_update(actor=current_user(request), process=self.process, **data)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("The process was updated."))
                return redirect(self.process)
        return render(request, self.template_name, {**self.process_context(), "form": form})


class ProcessArchiveView(ProcessRuleMixin, View):
    rule = "deliberation.change_process"

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        services.process_archive(actor=current_user(request), process=self.process)
        messages.success(
            request,
            _("The process is archived: it stays readable, and takes no new contributions."),
        )
        return redirect(self.process)
