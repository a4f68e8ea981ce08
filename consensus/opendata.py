"""Consensus's sections of the open-data bundle: rounds, ballots, objections, outcomes, minority
statements, challenges and balance snapshots, named as the round pages name them to the public."""

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Max

from consensus.models import (
    BalanceSnapshot,
    Ballot,
    Challenge,
    MinorityStatement,
    Objection,
    Outcome,
    Round,
    RoundStatus,
)
from consensus.rules import knows_participant
from deliberation.opendata.registry import Row, Section, register
from deliberation.opendata.sections import CHUNK, when
from stakeholders.models import User
from stakeholders.presentation import group_region_label

PUBLIC = AnonymousUser()


def _named(round_: Round, user: User, group: str, region: str | None) -> tuple[str, int | None]:
    """(name, id) as the round's ballot visibility and the person's attribution allow the public
    (consensus.rules.knows_participant, the decision behind the round's own exports)."""
    if knows_participant(PUBLIC, round_, user):
        return user.display_name or f"Stakeholder #{user.pk}", user.pk
    return str(group_region_label(group, region or None)), None


def _rounds(process: Any) -> Iterator[Row]:
    rows = (
        Round.objects.filter(process=process)
        .exclude(status=RoundStatus.DRAFT)
        .select_related("version")
        .order_by("id")
    )
    for r in rows.iterator(CHUNK):
        yield {
            "id": r.pk,
            "proposal": r.version.proposal_id,
            "version": r.version_id,
            "version_number": r.version.number,
            "previous": r.previous_id,
            "status": r.status,
            "ballot_visibility": r.ballot_visibility,
            "opens_at": when(r.opens_at),
            "closes_at": when(r.closes_at),
            "closed_at": when(r.closed_at),
            "parameters": r.parameters,
        }


def _ballots(process: Any) -> Iterator[Row]:
    rows = (
        Ballot.objects.filter(round__process=process, current=True)
        .exclude(round__status=RoundStatus.DRAFT)
        .select_related("round", "user")
        .order_by("round_id", "id")
    )
    for b in rows.iterator(CHUNK):
        name, user_id = _named(b.round, b.user, b.stakeholder_group, b.region)
        yield {
            "id": b.pk,
            "round": b.round_id,
            "voter": name,
            "user": user_id,
            "stakeholder_group": b.stakeholder_group,
            "region": b.region,
            "position": b.position,
            "rationale": b.rationale,
            "proposed_change": b.proposed_change,
            "cast_at": when(b.cast_at),
        }


def _objections(process: Any) -> Iterator[Row]:
    rows = (
        Objection.objects.filter(round__process=process)
        .exclude(round__status=RoundStatus.DRAFT)
        .select_related("round", "objector", "accommodated_in")
        .order_by("round_id", "id")
    )
    for o in rows.iterator(CHUNK):
        name, user_id = _named(o.round, o.objector, o.stakeholder_group, o.objector.region)
        yield {
            "id": o.pk,
            "round": o.round_id,
            "objector": name,
            "user": user_id,
            "stakeholder_group": o.stakeholder_group,
            "text": o.text,
            "state": o.state,
            "response": o.response,
            "accommodated_in": o.accommodated_in.number if o.accommodated_in else None,
            "carried_from": o.carried_from_id,
            "resolved_at": when(o.resolved_at),
        }


def _outcomes(process: Any) -> Iterator[Row]:
    rows = Outcome.objects.filter(round__process=process).order_by("round_id")
    for o in rows.iterator(CHUNK):
        yield {
            "round": o.round_id,
            "computed_designation": o.computed_designation,
            "declared_designation": o.declared_designation or None,
            "rationale": o.rationale,
            "computed_at": when(o.computed_at),
            "declared_at": when(o.declared_at),
            "challenge_until": when(o.challenge_until),
            "figures": o.figures,
        }


def _minority(process: Any) -> Iterator[Row]:
    rows = MinorityStatement.objects.filter(outcome__round__process=process).select_related(
        "outcome"
    )
    for s in rows.order_by("id").iterator(CHUNK):
        yield {
            "id": s.pk,
            "round": s.outcome.round_id,
            "text": s.text,
            "created_at": when(s.created_at),
        }


def _challenges(process: Any) -> Iterator[Row]:
    rows = Challenge.objects.filter(outcome__round__process=process).select_related("outcome")
    for c in rows.order_by("id").iterator(CHUNK):
        yield {
            "id": c.pk,
            "round": c.outcome.round_id,
            "text": c.text,
            "answer": c.answer,
            "created_at": when(c.created_at),
            "answered_at": when(c.answered_at),
        }


def _balance(process: Any) -> Iterator[Row]:
    rows = BalanceSnapshot.objects.filter(process=process).order_by("id")
    for s in rows.iterator(CHUNK):
        yield {
            "id": s.pk,
            "computed_at": when(s.computed_at),
            "trigger": s.trigger,
            "round": s.round_id,
            "dimensions": s.dimensions,
            "totals": s.totals,
        }


def _max(model: Any, field: str, **lookup: Any) -> Any:
    return str(model.objects.filter(**lookup).aggregate(m=Max(field))["m"])


ROUND = "round id"
WHEN = "ISO 8601, UTC"
NAME = "display name; for a round shown by group, or a group-only person, 'A … participant from …'"


def register_sections() -> None:
    """Called from ConsensusConfig.ready(). Round state changes, objection answers, outcomes,
    declarations, statements and challenges all append audit events of the process, so their
    stamp is the audit section's; ballots and snapshots have their own."""
    sections = [
        ("rounds", "Consensus rounds (drafts left out).", _rounds, {
            "id": ROUND, "proposal": "proposal id", "version": "proposal version id",
            "version_number": "version number", "previous": "round this one follows, or null",
            "status": "open, closed or declared", "ballot_visibility": "named or group_only",
            "opens_at": WHEN, "closes_at": "deadline, " + WHEN, "closed_at": WHEN,
            "parameters": "consensus parameters of the round (JSON)"}),
        ("ballots", "Current ballots, by name or by group as each round and person allow.",
         _ballots, {
            "id": "ballot id", "round": ROUND, "voter": NAME, "user": "user id, or null",
            "stakeholder_group": "group of the hat worn", "region": "UN regional group",
            "position": "support, accept, abstain or object", "rationale": "why",
            "proposed_change": "what would change the voter's mind", "cast_at": WHEN}),
        ("objections", "Objections and their fate.", _objections, {
            "id": "objection id", "round": ROUND, "objector": NAME, "user": "user id, or null",
            "stakeholder_group": "group of the hat worn", "text": "the objection",
            "state": "open, addressed, accommodated or withdrawn", "response": "the answer",
            "accommodated_in": "version number that accommodated it, or null",
            "carried_from": "objection of the previous round it continues, or null",
            "resolved_at": WHEN}),
        ("outcomes", "Computed and declared outcomes of each round.", _outcomes, {
            "round": ROUND, "computed_designation": "designation computed from the ballots",
            "declared_designation": "designation the facilitators declared, or null",
            "rationale": "the declaration's rationale", "computed_at": WHEN,
            "declared_at": WHEN, "challenge_until": "end of the challenge window",
            "figures": "the tally per group and region (JSON, as the result API)"}),
        ("minority_statements", "Minority statements published with outcomes.", _minority, {
            "id": "statement id", "round": ROUND, "text": "the statement", "created_at": WHEN}),
        ("challenges", "Challenges of declarations and their answers.", _challenges, {
            "id": "challenge id", "round": ROUND, "text": "the challenge",
            "answer": "the facilitators' answer", "created_at": WHEN, "answered_at": WHEN}),
        ("balance_snapshots", "Participation balance measured over time.", _balance, {
            "id": "snapshot id", "computed_at": WHEN, "trigger": "why it was taken",
            "round": "round it was taken for, or null",
            "dimensions": "per dimension: index, categories, alerts (JSON)",
            "totals": "totals (JSON)"}),
    ]  # fmt: skip
    stamps = {
        "ballots": lambda p: _max(Ballot, "id", round__process=p),
        "balance_snapshots": lambda p: _max(BalanceSnapshot, "id", process=p),
        "rounds": lambda p: _max(Round, "id", process=p),
    }
    for order, (name, description, rows, fields) in enumerate(sections, start=50):
        register(
            Section(
                name=name,
                description=description,
                fields=fields,
                rows=rows,
                stamp=stamps.get(name, lambda p: None),
                order=order,
            )
        )
