"""Outcome services: a round's figures, the computed outcome and the facilitator's declaration."""

from dataclasses import asdict
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consensus import designation, selectors
from consensus import notifications as consensus_kinds
from consensus.models import (
    Objection,
    Outcome,
    Round,
    RoundStatus,
)
from consensus.services._shared import participant_ids, round_locked
from record.services import audit_append
from stakeholders.models import User
from stakeholders.services import (
    notify_after_commit,
)
from web.errors import StateConflict


def _table(result: designation.Tally) -> dict[str, Any]:
    return {
        "designation": str(result.designation),
        "quorum_met": result.quorum_met,
        "s_mean": result.s_mean,
        "s_min": result.s_min,
        "gic": result.gic,
        "gic_geo": result.gic_geo,
        "x_share": result.x_share,
        "objections": result.objections,
        "open_objections": result.open_objections,
        "groups": {
            key: {
                "support": g.support,
                "accept": g.accept,
                "abstain": g.abstain,
                "object": g.object,
                "p": g.p,
            }
            for key, g in result.groups.items()
        },
    }


def round_figures(round_: Round) -> dict[str, Any]:
    """The tally of a round, by stakeholder group (the designation), region and economy.

    The regional and economic breakdowns apply the same rule with no expected categories: they
    show whether some region or economy is overruled, not whether every one took part.
    """
    data = selectors.tally_input(round_)
    params = designation.Params(**(round_.parameters or {}))
    by_group = designation.tally(
        data.groups,
        expected=round_.expected_groups,
        open_objections=data.open_objections,
        params=params,
    )
    by_region = designation.tally(
        data.regions, expected=[], open_objections=data.open_objections, params=params
    )
    by_economy = designation.tally(
        data.development, expected=[], open_objections=data.open_objections, params=params
    )
    figures = _table(by_group)
    figures["ballots"] = data.ballots
    figures["not_counted"] = data.not_counted
    figures["parameters"] = asdict(params)
    figures["expected_groups"] = list(round_.expected_groups)
    figures["regions"] = _table(by_region)
    figures["development"] = _table(by_economy)
    figures["regional_lower"] = designation.lower_than(by_region.designation, by_group.designation)
    figures["development_lower"] = designation.lower_than(
        by_economy.designation, by_group.designation
    )
    return figures


@transaction.atomic
def outcome_compute(*, round_: Round) -> Outcome:
    """Compute and store a closed round's outcome once; later calls return the stored one."""
    locked = round_locked(round_)
    existing = Outcome.objects.filter(round=locked).first()
    if existing is not None:
        return existing
    if locked.status not in (RoundStatus.CLOSED, RoundStatus.DECLARED):
        raise StateConflict(_("The outcome is computed once the round is closed."))
    figures = round_figures(locked)
    outcome = Outcome.objects.create(
        round=locked, computed_designation=figures["designation"], figures=figures
    )
    audit_append(
        actor=None,
        action="outcome.compute",
        obj=outcome,
        process=locked.process_id,
        data={
            "round": locked.pk,
            "designation": figures["designation"],
            "s_mean": figures["s_mean"],
            "s_min": figures["s_min"],
            "x_share": figures["x_share"],
            "open_objections": figures["open_objections"],
            "quorum_met": figures["quorum_met"],
        },
    )
    if figures["designation"] != designation.Designation.FULL_CONSENSUS:
        notify_after_commit(
            recipients=Objection.objects.filter(round=locked).values_list("objector_id", flat=True),
            kind=consensus_kinds.OBJECTION,
            title=_("You may attach a minority statement to the outcome"),
            url=f"{locked.get_absolute_url()}result/",
        )
    return outcome


def compute_pending_outcomes() -> list[int]:
    """The sweep: compute the outcome of every closed round that still lacks one."""
    done = []
    for round_ in Round.objects.awaiting_outcome():
        outcome_compute(round_=round_)
        done.append(round_.pk)
    return done


@transaction.atomic
def outcome_declare(*, actor: User, round_: Round, designation_: str, rationale: str) -> Outcome:
    """The facilitator declares the outcome on the record.

    Before: the round is closed and its outcome computed; a declaration that differs from the
    computed designation has a written rationale. After: the challenge window is open.
    """
    if designation_ not in designation.Designation.__members__.values():
        raise ValidationError({"designation": _("Unknown designation.")})
    locked = round_locked(round_)
    if locked.status == RoundStatus.DECLARED:
        raise StateConflict(_("This round's outcome is already declared."))
    if locked.status != RoundStatus.CLOSED:
        raise StateConflict(_("Close the round before declaring its outcome."))
    outcome = Outcome.objects.select_for_update().filter(round=locked).first()
    if outcome is None:
        raise StateConflict(_("The outcome is still being computed; try again in a moment."))
    rationale = rationale.strip()
    if designation_ != outcome.computed_designation and not rationale:
        raise ValidationError(
            {"rationale": _("Explain why you declare a designation other than the computed one.")}
        )
    outcome.declared_designation = designation_
    outcome.rationale = rationale
    outcome.declared_by = actor
    outcome.declared_at = timezone.now()
    outcome.challenge_until = outcome.declared_at + timedelta(days=locked.process.challenge_days)
    outcome.save()
    locked.status = RoundStatus.DECLARED
    locked.save(update_fields=["status"])
    audit_append(
        actor=actor,
        action="outcome.declare",
        obj=outcome,
        process=locked.process_id,
        data={
            "round": locked.pk,
            "declared": designation_,
            "computed": outcome.computed_designation,
            "rationale": rationale,
        },
    )
    notify_after_commit(
        recipients=participant_ids(locked),
        kind=consensus_kinds.ROUND,
        title=_("The outcome of “%s” is declared") % locked.version.proposal.title,
        url=f"{locked.get_absolute_url()}result/",
    )
    return outcome
