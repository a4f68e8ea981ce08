"""The close-out of a round: a later deadline, live figures, objectors told, declaring over them."""

from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consensus import notifications as consensus_kinds
from consensus import services
from consensus.models import Objection, ObjectionState, Outcome, Round, RoundStatus
from consensus.services._shared import participant_ids, round_locked
from record.services import audit_append
from stakeholders.models import User
from stakeholders.services import notify_after_commit
from web.errors import StateConflict

OVER_OPEN_OBJECTIONS = gettext_lazy(
    "Objections are still open. Answer them in the register first, or say explicitly that you "
    "declare over them."
)

_STATE_TITLES = {
    ObjectionState.ADDRESSED: gettext_lazy("Your objection was answered: %s"),
    ObjectionState.ACCOMMODATED: gettext_lazy("Your objection was accommodated: %s"),
    ObjectionState.WITHDRAWN: gettext_lazy("Your objection was withdrawn: %s"),
}


def open_objections(round_: Round) -> list[Objection]:
    """The objections of the round's register still open, oldest first, with their objectors."""
    return list(
        Objection.objects.filter(round=round_, state=ObjectionState.OPEN)
        .select_related("objector")
        .order_by("created_at", "id")
    )


def outcome_refresh(*, round_: Round) -> Outcome | None:
    """Recompute the figures of a closed, undeclared round after its register changed.

    Before: called inside the transaction that changed the register. After: the stored outcome's
    figures and computed designation are those of the register now (docs/design.md §3.11); a
    declared outcome is never touched, and an unchanged one is not rewritten.
    """
    if round_.status != RoundStatus.CLOSED:
        return None
    outcome = Outcome.objects.select_for_update().filter(round_id=round_.pk).first()
    if outcome is None or outcome.declared:
        return outcome
    figures = services.round_figures(round_)
    if figures == outcome.figures:
        return outcome
    before = outcome.computed_designation
    outcome.figures = figures
    outcome.computed_designation = figures["designation"]
    outcome.save(update_fields=["figures", "computed_designation"])
    audit_append(
        actor=None,
        action="outcome.recompute",
        obj=outcome,
        process=round_.process_id,
        data={
            "round": round_.pk,
            "designation": figures["designation"],
            "previous": before,
            "open_objections": figures["open_objections"],
        },
    )
    return outcome


def objection_changed(*, actor: User, objection: Objection) -> None:
    """After a state change in the register: tell the objector (unless they made it) and keep a
    closed round's figures in step. Runs inside the changing service's transaction."""
    round_ = objection.round
    if actor.pk != objection.objector_id:
        template = _STATE_TITLES.get(ObjectionState(objection.state))
        if objection.state == ObjectionState.OPEN:
            title = _("Your objection now counts: a facilitator acknowledged it")
        else:
            title = str(template) % round_.version.proposal.title if template else ""
        if title:
            notify_after_commit(
                recipients=[objection.objector_id],
                kind=consensus_kinds.OBJECTION,
                title=title,
                body=objection.response[:500],
                url=f"{round_.get_absolute_url()}objections/#objection-{objection.pk}",
            )
    outcome_refresh(round_=round_)


def declare_check(*, round_: Round, over_open_objections: bool) -> None:
    """Refuse a declaration while objections are open, unless the facilitator chose to declare
    over them."""
    if over_open_objections:
        return
    if Objection.objects.filter(round=round_, state=ObjectionState.OPEN).exists():
        raise ValidationError({"over_open_objections": str(OVER_OPEN_OBJECTIONS)})


@transaction.atomic
def round_extend(*, actor: User, round_: Round, closes_at: datetime) -> Round:
    """Move a draft or open round's deadline later.

    Before: the new deadline is in the future and later than the current one. After: the round
    takes ballots until then; the change is on the audit chain and, for an open round, every
    participant is told the new deadline.
    """
    locked = round_locked(round_)
    if locked.status not in (RoundStatus.DRAFT, RoundStatus.OPEN):
        raise StateConflict(_("Only a draft or open round's deadline can be extended."))
    if closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("The new deadline must be in the future.")})
    if closes_at <= locked.closes_at:
        raise ValidationError(
            {"closes_at": _("The new deadline must be later than the current one.")}
        )
    previous = locked.closes_at
    locked.closes_at = closes_at
    locked.save(update_fields=["closes_at"])
    round_.closes_at = closes_at
    audit_append(
        actor=actor,
        action="round.extend",
        obj=locked,
        process=locked.process_id,
        data={"from": previous.isoformat(), "to": closes_at.isoformat()},
    )
    if locked.status == RoundStatus.OPEN:
        when = formats.date_format(closes_at.astimezone(UTC), "DATETIME_FORMAT") + " UTC"
        notify_after_commit(
            recipients=participant_ids(locked),
            kind=consensus_kinds.ROUND,
            title=_("More time to vote on “%(title)s”: ballots are now accepted until %(when)s")
            % {"title": locked.version.proposal.title, "when": when},
            url=locked.get_absolute_url(),
        )
    return locked
