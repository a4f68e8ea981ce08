"""Pages of participation balance and support: the balance page and the support queue."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from consensus.balance import selectors as balance_selectors
from consensus.balance import services as balance_service
from consensus.balance import support as balance_support
from consensus.balance.compute import SUPPRESSED
from consensus.balance.forms import DeclineForm, GrantForm, SupportRequestForm
from consensus.balance.services import BalanceFigures
from consensus.balance.text import (
    DIMENSIONS,
    alert_message,
    category_label,
    dimension_title,
    fair_share,
    trigger_label,
)
from consensus.charts import line_chart
from consensus.models import SnapshotTrigger, SupportRequest
from deliberation.models import Process
from deliberation.views.base import ProcessMixin, ProcessRuleMixin, form_errors_from, may
from stakeholders.access import current_user
from web.errors import StateConflict

HISTORY_POINTS = 100
"""The balance page plots and tabulates this many of the latest snapshots (the API has all)."""


def _percent_of_width(value: float) -> float:
    return round(min(max(value, 0.0), 1.0) * 100, 1)


def _in_order(categories: dict[str, Any], expected: list[str]) -> list[tuple[str, Any]]:
    """Expected categories in the process's order, then the others by name, the bucket last."""
    rank = {category: position for position, category in enumerate(expected)}
    return sorted(
        categories.items(),
        key=lambda item: (item[0] == SUPPRESSED, rank.get(item[0], len(rank)), item[0]),
    )


def dimension_sections(figures: BalanceFigures, process: Process) -> list[dict[str, Any]]:
    """Each dimension with its rows (labelled in the active language) and alerts in plain words."""
    expected = balance_service.expected_categories(process)
    sections = []
    for name in DIMENSIONS:
        data = figures.dimensions.get(name) or {"index": None, "categories": {}, "alerts": []}
        categories = data["categories"]
        fair = fair_share(categories) if data["index"] is not None else None
        sections.append(
            {
                "name": name,
                "title": dimension_title(name),
                "index": data["index"],
                "fair": fair,
                "fair_x": _percent_of_width(fair or 0.0),
                "rows": [
                    {
                        "label": category_label(name, category),
                        "contributions": value["contributions"],
                        "participants": value["participants"],
                        "share": value["share"],
                        "ratio": value["ratio"],
                        "share_x": _percent_of_width(value["share"]),
                    }
                    for category, value in _in_order(categories, expected[name])
                ],
                "alerts": [
                    alert_message(name, alert["kind"], alert["category"], categories)
                    for alert in data["alerts"]
                ],
            }
        )
    return sections


def history_context(process: Process) -> dict[str, Any]:
    """The index of every dimension over the latest snapshots: SVG geometry and table rows."""
    history = balance_selectors.index_history(process, limit=HISTORY_POINTS)
    chart = line_chart([(name, [row["indices"][name] for row in history]) for name in DIMENSIONS])
    return {
        "history": [
            {
                "computed_at": row["computed_at"],
                "trigger": trigger_label(row["trigger"]),
                "indices": [row["indices"][name] for name in DIMENSIONS],
            }
            for row in history
        ],
        "chart": chart,
        "chart_lines": [
            (index, dimension_title(line.name), line) for index, line in enumerate(chart.lines)
        ],
        "dimension_titles": [dimension_title(name) for name in DIMENSIONS],
    }


def support_totals_context(process: Process) -> dict[str, Any]:
    totals = balance_selectors.support_totals(process)
    return {
        "support": totals,
        "support_by_group": sorted(
            (
                (category_label("stakeholder_group", group), n, amount)
                for group, (n, amount) in totals.by_group.items()
            ),
            key=lambda row: (-row[2], row[0]),
        ),
        "support_by_region": sorted(
            (
                (category_label("region", region), n, amount)
                for region, (n, amount) in totals.by_region.items()
            ),
            key=lambda row: (-row[2], row[0]),
        ),
    }


class BalanceView(ProcessMixin, View):
    """The balance of a process: indices, shares against fair share, alerts, history, support."""

    template_name = "consensus/balance.html"

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        if not may(request, "consensus.view_balance", self.process):
            raise Http404
        figures = balance_service.current_balance(self.process)
        sections = dimension_sections(figures, self.process)
        return render(
            request,
            self.template_name,
            {
                **self.process_context(),
                "figures": figures,
                "sections": sections,
                "alerts": [
                    (section["title"], message)
                    for section in sections
                    for message in section["alerts"]
                ],
                "may_snapshot": may(request, "consensus.snapshot_balance", self.process),
                **history_context(self.process),
                **support_totals_context(self.process),
            },
        )


class BalanceSnapshotView(ProcessRuleMixin, View):
    """POST: a facilitator takes a snapshot now."""

    rule = "consensus.snapshot_balance"

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        balance_service.balance_snapshot_create(
            actor=current_user(request), process=self.process, trigger=SnapshotTrigger.ON_DEMAND
        )
        messages.success(request, _("A new balance snapshot was taken."))
        return redirect("balance:balance", slug=self.process.slug)


def _support_url(process: Process) -> str:
    return reverse("balance:support", args=[process.slug])


class SupportView(ProcessRuleMixin, View):
    """Participation support: ask for it; see your requests; facilitators decide the queue."""

    rule = "deliberation.view_process"
    template_name = "consensus/support.html"

    def context(
        self,
        request: HttpRequest,
        *,
        request_form: SupportRequestForm | None = None,
        bound: forms.Form | None = None,
        bound_for: int | None = None,
    ) -> dict[str, Any]:
        """The page; ``bound`` replaces the blank decision form of request ``bound_for``."""
        user = current_user(request)
        may_request = may(request, "consensus.request_support", self.process)
        may_decide = may(request, "consensus.decide_support", self.process)
        queue = []
        if may_decide:
            dimensions = balance_service.current_balance(self.process).dimensions
            for item in balance_support.support_queue(self.process, dimensions):
                pk = item.request.pk
                prefix = f"r{pk}"
                grant = GrantForm(prefix=prefix, initial={"amount": item.request.amount_requested})
                decline = DeclineForm(prefix=prefix)
                if bound_for == pk and isinstance(bound, GrantForm):
                    grant = bound
                if bound_for == pk and isinstance(bound, DeclineForm):
                    decline = bound
                queue.append({"item": item, "grant": grant, "decline": decline})
        return {
            **self.process_context(),
            "may_request": may_request,
            "may_decide": may_decide,
            "request_form": request_form
            or (SupportRequestForm(initial={"funding": user.funding}) if may_request else None),
            "own_requests": list(balance_selectors.support_requests_of(self.process, user)),
            "queue": queue,
            **support_totals_context(self.process),
        }

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return render(request, self.template_name, self.context(request))

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        if not may(request, "consensus.request_support", self.process):
            raise Http404
        form = SupportRequestForm(request.POST)
        if form.is_valid():
            try:
                balance_support.support_request_create(
                    actor=current_user(request), process=self.process, **form.cleaned_data
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(
                    request, _("Your request was sent to the facilitators of this process.")
                )
                return redirect(_support_url(self.process))
        return render(
            request, self.template_name, self.context(request, request_form=form), status=400
        )


class SupportDecisionView(SupportView):
    """POST on one request of the process: grant, decline (facilitators) or withdraw (requester)."""

    rule = "deliberation.view_process"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        found = (
            SupportRequest.objects.filter(process=self.process, pk=kwargs["pk"])
            .select_related("requester")
            .first()
        )
        if found is None:
            raise Http404
        found.process = self.process
        self.support_request = found

    def get(self, request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
        return redirect(_support_url(self.process))

    def post(self, request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
        action = kwargs["action"]
        user = current_user(request)
        support_request = self.support_request
        if action == "withdraw":
            if support_request.requester_id != user.pk:
                raise Http404
            return self._decide(
                request,
                lambda: balance_support.support_request_withdraw(
                    actor=user, support_request=support_request
                ),
                _("Your request is withdrawn."),
            )
        if not may(request, "consensus.decide_support", self.process):
            raise Http404
        form: forms.Form
        if action == "grant":
            form = GrantForm(request.POST, prefix=f"r{support_request.pk}")
        else:
            form = DeclineForm(request.POST, prefix=f"r{support_request.pk}")
        if form.is_valid():
            data = form.cleaned_data
            try:
                if isinstance(form, GrantForm):
                    amount: Decimal = data["amount"]
                    return self._decide(
                        request,
                        lambda: balance_support.support_request_grant(
                            actor=user, support_request=support_request, amount=amount
                        ),
                        _("The request is granted; the requester is told."),
                    )
                return self._decide(
                    request,
                    lambda: balance_support.support_request_decline(
                        actor=user, support_request=support_request, reason=data["reason"]
                    ),
                    _("The request is declined; the requester is told why."),
                )
            except ValidationError as error:
                form_errors_from(form, error)
        return render(
            request,
            self.template_name,
            self.context(request, bound=form, bound_for=support_request.pk),
            status=400,
        )

    def _decide(
        self, request: HttpRequest, decide: Callable[[], SupportRequest], done: str
    ) -> HttpResponse:
        try:
            decide()
        except StateConflict as conflict:
            messages.error(request, str(conflict))
        else:
            messages.success(request, done)
        return redirect(_support_url(self.process))
