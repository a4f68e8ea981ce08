"""Exports of a round (JSON, and CSV per table) and the round's part of the public record."""

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import View

from consensus import page_reads, selectors
from consensus.models import Round
from consensus.views.base import RoundMixin, voter_name
from consensus.views.objections import objector_name
from record.disclosure import disclose, shown_fields
from record.models import AuditEvent
from web.spreadsheets import csv_text


def _ballots(round_: Round, request: HttpRequest) -> list[dict[str, Any]]:
    named = round_.ballot_visibility == "named"
    return [
        {
            "voter": voter_name(b, round_, request.user),
            "user": b.user_id if named and b.user.attribution == "named" else None,
            "stakeholder_group": b.stakeholder_group,
            "region": b.region,
            "position": b.position,
            "rationale": b.rationale,
            "proposed_change": b.proposed_change,
            "cast_at": b.cast_at.isoformat(),
        }
        for b in selectors.round_ballots(round_)
    ]


def _objections(round_: Round, request: HttpRequest) -> list[dict[str, Any]]:
    rows = []
    for o in selectors.round_objections(round_):
        o.round = round_
        rows.append(
            {
                "id": o.pk,
                "objector": objector_name(o, request),
                "stakeholder_group": o.stakeholder_group,
                "text": o.text,
                "state": o.state,
                "response": o.response,
                "accommodated_in": o.accommodated_in.number if o.accommodated_in else None,
                "carried_from": o.carried_from_id,
            }
        )
    return rows


def _outcome(round_: Round) -> dict[str, Any] | None:
    outcome = page_reads.outcome_of(round_)
    if outcome is None:
        return None
    return {
        "computed_designation": outcome.computed_designation,
        "declared_designation": outcome.declared_designation or None,
        "rationale": outcome.rationale,
        "computed_at": outcome.computed_at.isoformat(),
        "declared_at": outcome.declared_at.isoformat() if outcome.declared_at else None,
        "figures": outcome.figures,
        "minority_statements": [s.text for s in outcome.minority_statements.all()],
        "challenges": [{"text": c.text, "answer": c.answer} for c in outcome.challenges.all()],
    }


class ExportJsonView(RoundMixin, View):
    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        data = {
            "round": {
                "id": self.round.pk,
                "process": self.process.slug,
                "proposal": self.round.version.proposal.title,
                "version": self.round.version.number,
                "status": self.round.status,
                "ballot_visibility": self.round.ballot_visibility,
                "closes_at": self.round.closes_at.isoformat(),
            },
            "ballots": _ballots(self.round, request),
            "objections": _objections(self.round, request),
            "outcome": _outcome(self.round),
        }
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="round-{self.round.pk}.json"'
        return response


class ExportCsvView(RoundMixin, View):
    """One CSV per table: ballots, objections or outcome."""

    def get(self, request: HttpRequest, slug: str, pk: int, table: str) -> HttpResponse:
        if table == "ballots":
            rows = _ballots(self.round, request)
        elif table == "objections":
            rows = _objections(self.round, request)
        elif table == "outcome":
            outcome = _outcome(self.round)
            rows = (
                []
                if outcome is None
                else [
                    {
                        "stakeholder_group": key,
                        **values,
                        "computed_designation": outcome["computed_designation"],
                        "declared_designation": outcome["declared_designation"] or "",
                    }
                    for key, values in outcome["figures"]["groups"].items()
                ]
            )
        else:
            raise Http404
        text = csv_text(rows, fieldnames=list(rows[0])) if rows else ""
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="round-{self.round.pk}-{table}.csv"'
        )
        return response


class RoundRecordView(RoundMixin, View):
    """Every public audit event about this round, its objections and its outcome."""

    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        events = list(
            (
                AuditEvent.objects.public().filter(data__round=self.round.pk)
                | AuditEvent.objects.public().filter(object=f"consensus.round:{self.round.pk}")
            ).order_by("seq")
        )
        shown = disclose(request.user, events)
        return render(
            request,
            "consensus/round_record.html",
            {
                **self.round_context(),
                "events": [shown_fields(event, shown[event.seq]) for event in events],
                "as_json": json.dumps,
            },
        )
