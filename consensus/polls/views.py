"""Pages of statement polls: the list, a poll (vote one statement at a time), moderation, the
opinion map, Pol.is import and export. Every form works without JavaScript (POST-redirect-GET)."""

import io
import zipfile
from typing import Any

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from consensus.polls import exchange, polis, presentation, selectors, services
from consensus.polls.forms import ImportForm, PollForm, RejectForm, StatementForm, VoteForm
from consensus.polls.models import Moderation, Poll, Statement
from deliberation.views.base import ProcessMixin, may
from stakeholders.access import RuleRequiredMixin, current_user
from web.errors import StateConflict


def _problem(error: Exception) -> str:
    return " ".join(getattr(error, "messages", [str(error)]))


class PollMixin(ProcessMixin):
    """Loads `self.poll` of `self.process`; 404 when it does not exist or may not be seen."""

    poll: Poll

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        poll = selectors.poll_get(self.process, kwargs["pk"])
        if poll is None or not rules.has_perm("consensus.view_poll", request.user, poll):
            raise Http404
        self.poll = poll

    def get_permission_object(self) -> Any:
        return self.poll


class PollListView(ProcessMixin, View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self.page(request)

    def page(
        self,
        request: HttpRequest,
        form: PollForm | None = None,
        import_form: ImportForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        may_open = may(request, "consensus.add_poll", self.process)
        return render(
            request,
            "polls/poll_list.html",
            {
                **self.process_context(),
                "polls": selectors.polls_of(self.process),
                "form": form or (PollForm() if may_open else None),
                "import_form": import_form
                or (ImportForm() if may(request, "consensus.import_poll", self.process) else None),
            },
            status=status,
        )


class PollOpenView(ProcessMixin, RuleRequiredMixin, View):
    rule = "consensus.add_poll"

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = PollForm(request.POST)
        if form.is_valid():
            try:
                poll = services.poll_open(
                    actor=current_user(request),
                    process=self.process,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    seed_statements=form.seed_lines(),
                    attribution=form.cleaned_data["attribution"],
                )
            except (ValidationError, StateConflict) as error:
                form.add_error(None, _problem(error))
            else:
                messages.success(request, _("The poll is open."))
                return redirect(poll)
        listing = PollListView()
        listing.setup(request, slug=slug)
        return listing.page(request, form=form, status=400)


class PollImportView(ProcessMixin, RuleRequiredMixin, View):
    rule = "consensus.import_poll"

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                poll = exchange.poll_import(
                    actor=current_user(request),
                    process=self.process,
                    files=form.cleaned_data["export"],
                )
            except polis.PolisFormatError as error:
                form.add_error("export", str(error))
            else:
                services.opinion_compute(poll=poll)
                messages.success(request, _("The Pol.is conversation is imported."))
                return redirect(poll)
        listing = PollListView()
        listing.setup(request, slug=slug)
        return listing.page(request, import_form=form, status=400)


class PollDetailView(PollMixin, View):
    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        return self.page(request)

    def page(
        self, request: HttpRequest, statement_form: StatementForm | None = None, status: int = 200
    ) -> HttpResponse:
        participant = selectors.participant_of(self.poll, request.user)
        may_vote = self.poll.is_open and may(request, "consensus.vote_statement", self.poll)
        may_moderate = may(request, "consensus.moderate_statement", self.poll)
        mine = selectors.my_votes(participant)
        facilitating = may_moderate
        statements = list(selectors.statements_of(self.poll, moderated=Moderation.ACCEPTED))
        pending = (
            list(selectors.statements_of(self.poll, moderated=Moderation.PENDING))
            if may_moderate
            else []
        )
        rejected = list(selectors.statements_of(self.poll, moderated=Moderation.REJECTED))
        for statement in (*statements, *pending, *rejected):
            statement.my_vote = mine.get(statement.pk)  # type: ignore[attr-defined]
            statement.by = presentation.author_label(  # type: ignore[attr-defined]
                statement, self.poll, request.user, facilitates=facilitating
            )
        return render(
            request,
            "polls/poll_detail.html",
            {
                **self.process_context(),
                "poll": self.poll,
                "statements": statements,
                "next": selectors.next_statement(self.poll, participant) if may_vote else None,
                "may_vote": may_vote,
                "voted": len(mine),
                "may_submit": may(request, "consensus.submit_statement", self.poll),
                "statement_form": statement_form or StatementForm(),
                "may_moderate": may_moderate,
                "may_close": may(request, "consensus.close_poll", self.poll),
                "pending": pending,
                "rejected": rejected,
                "reject_form": RejectForm(),
                "opinion_map": selectors.opinion_map(self.poll),
            },
            status=status,
        )


class VoteView(PollMixin, RuleRequiredMixin, View):
    """POST a vote, then back to the poll, where the next unvoted statement is waiting."""

    rule = "consensus.vote_statement"

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        form = VoteForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose agree, disagree or pass."))
            return redirect(self.poll)
        statement = Statement.objects.filter(
            poll=self.poll, pk=form.cleaned_data["statement"]
        ).first()
        if statement is None:
            raise Http404
        statement.poll = self.poll
        try:
            services.vote_cast(
                actor=current_user(request), statement=statement, value=form.cleaned_data["vote"]
            )
        except (ValidationError, StateConflict) as error:
            messages.error(request, _problem(error))
        return redirect(reverse("polls:poll", args=[slug, pk]) + "#vote")


class StatementSubmitView(PollMixin, RuleRequiredMixin, View):
    rule = "consensus.submit_statement"

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        form = StatementForm(request.POST)
        if form.is_valid():
            try:
                statement = services.statement_submit(
                    actor=current_user(request), poll=self.poll, text=form.cleaned_data["text"]
                )
            except (ValidationError, StateConflict) as error:
                form.add_error("text", _problem(error))
            else:
                messages.success(
                    request,
                    _("Your statement is published.")
                    if statement.moderated == Moderation.ACCEPTED
                    else _("Thank you: your statement waits for the facilitator's moderation."),
                )
                return redirect(self.poll)
        detail = PollDetailView()
        detail.setup(request, slug=slug, pk=pk)
        return detail.page(request, statement_form=form, status=400)


class ModerateView(PollMixin, RuleRequiredMixin, View):
    rule = "consensus.moderate_statement"

    def post(
        self, request: HttpRequest, slug: str, pk: int, statement: int, decision: str
    ) -> HttpResponse:
        found = Statement.objects.filter(poll=self.poll, pk=statement).first()
        if found is None or decision not in ("accept", "reject"):
            raise Http404
        actor = current_user(request)
        try:
            if decision == "accept":
                services.statement_accept(actor=actor, statement=found)
                messages.success(request, _("The statement is accepted."))
            else:
                form = RejectForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Say why the statement is rejected."))
                services.statement_reject(
                    actor=actor, statement=found, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("The statement is rejected; it stays listed as such."))
        except ValidationError as error:
            messages.error(request, _problem(error))
        return redirect(reverse("polls:poll", args=[slug, pk]) + "#moderation")


class PollCloseView(PollMixin, RuleRequiredMixin, View):
    rule = "consensus.close_poll"

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        services.poll_close(actor=current_user(request), poll=self.poll)
        messages.success(request, _("The poll is closed."))
        return redirect(self.poll)


class OpinionMapView(PollMixin, View):
    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        stored = selectors.opinion_map(self.poll)
        participant = selectors.participant_of(self.poll, request.user)
        context = {**self.process_context(), "poll": self.poll, "opinion_map": stored}
        if stored is not None:
            context.update(
                presentation.map_context(
                    self.poll, stored, me=participant.pk if participant else None
                )
            )
        return render(request, "polls/opinion_map.html", context)


class ExportView(PollMixin, View):
    """The poll as a Pol.is open-data export: a zip of the four CSV files."""

    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in exchange.export_files(self.poll).items():
                archive.writestr(f"poll-{self.poll.pk}/{name}", text)
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="poll-{self.poll.pk}-polis.zip"'
        return response
