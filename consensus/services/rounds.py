"""Round services: create, open (carrying open objections over), close, and the deadline sweeps
(closing-soon reminders, closing)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consensus import notifications as consensus_kinds
from consensus import selectors
from consensus.models import (
    Ballot,
    BallotVisibility,
    Objection,
    ObjectionState,
    Round,
    RoundStatus,
)
from consensus.services._shared import participant_ids, round_locked
from deliberation.models import ProposalVersion
from record.services import audit_append
from stakeholders.models import User
from stakeholders.services import (
    Message,
    notifications_send,
    notify_after_commit,
)
from web.errors import StateConflict
from web.queue import enqueue_on_commit

PARAMETER_FIELDS = (
    "quorum_per_group",
    "group_support_min",
    "minority_max_share",
    "strong_support_mean",
)


@transaction.atomic
def round_create(
    *,
    actor: User,
    version: ProposalVersion,
    closes_at: datetime,
    ballot_visibility: str = BallotVisibility.NAMED,
) -> Round:
    """A draft round on one proposal version. Before: the deadline lies in the future."""
    if closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("The deadline must be in the future.")})
    if ballot_visibility not in BallotVisibility.values:
        raise ValidationError({"ballot_visibility": _("Choose named or group_only.")})
    process = version.proposal.issue.process
    round_ = Round.objects.create(
        process=process,
        version=version,
        closes_at=closes_at,
        ballot_visibility=ballot_visibility,
        created_by=actor,
    )
    round_.previous = selectors.latest_round_of_proposal(round_)
    round_.save(update_fields=["previous"])
    audit_append(
        actor=actor,
        action="round.create",
        obj=round_,
        process=round_.process_id,
        data={"version": version.pk, "closes_at": closes_at.isoformat()},
    )
    return round_


@transaction.atomic
def round_open(*, actor: User, round_: Round) -> Round:
    """Open a draft round: copy the rules in force, carry open objections of the previous round.

    After: each carried objection is open in this round and its objector is asked whether the
    new text resolves it; participants are told the round is open.
    """
    locked = round_locked(round_)
    if locked.status == RoundStatus.OPEN:
        return locked
    if locked.status != RoundStatus.DRAFT:
        raise StateConflict(_("Only a draft round can be opened."))
    if locked.closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("The deadline has passed; set a later one first.")})
    process = locked.process
    locked.status = RoundStatus.OPEN
    locked.opens_at = timezone.now()
    locked.parameters = {name: getattr(process, name) for name in PARAMETER_FIELDS}
    locked.expected_groups = list(process.expected_groups)
    locked.save(update_fields=["status", "opens_at", "parameters", "expected_groups"])
    announced_if_soon(locked)
    carried = _carry_objections(locked)
    audit_append(
        actor=actor,
        action="round.open",
        obj=locked,
        process=locked.process_id,
        data={
            "parameters": locked.parameters,
            "expected_groups": locked.expected_groups,
            "carried": carried,
        },
    )
    notify_after_commit(
        recipients=participant_ids(locked),
        kind=consensus_kinds.ROUND,
        title=_("A consensus round is open: %s") % locked.version.proposal.title,
        url=locked.get_absolute_url(),
        deadline=locked.closes_at,
    )
    return locked


def _carry_objections(round_: Round) -> int:
    """Carry the previous round's open objections into this one (one INSERT) and ask each
    objector, after commit, whether the new version resolves theirs."""
    if round_.previous_id is None:
        return 0
    old = list(Objection.objects.filter(round_id=round_.previous_id, state=ObjectionState.OPEN))
    Objection.objects.bulk_create(
        Objection(
            round=round_,
            objector_id=o.objector_id,
            stakeholder_group=o.stakeholder_group,
            text=o.text,
            carried_from=o,
        )
        for o in old
    )
    title = _("Does version %(n)d resolve your objection?") % {"n": round_.version.number}
    url = f"{round_.get_absolute_url()}objections/"
    messages = [Message(o.objector_id, title, o.text[:500], url) for o in old]
    transaction.on_commit(
        lambda: notifications_send(kind=consensus_kinds.OBJECTION, messages=messages),
        robust=True,
    )
    return len(old)


@transaction.atomic
def round_close(*, actor: User | None, round_: Round) -> Round:
    """Close an open round (a facilitator, or beat at the deadline). Closing twice is harmless.

    After: no ballot is accepted any more (a racing cast waits for this lock, then gets 409); the
    outcome is computed after commit, and by the periodic sweep if that message is lost.
    """
    locked = round_locked(round_)
    if locked.status in (RoundStatus.CLOSED, RoundStatus.DECLARED):
        return locked
    if locked.status != RoundStatus.OPEN:
        raise StateConflict(_("A draft round cannot be closed; open it first."))
    locked.status = RoundStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    audit_append(
        actor=actor,
        action="round.close",
        obj=locked,
        process=locked.process_id,
        data={"ballots": selectors.eligible_ballots(locked).count(), "by_deadline": actor is None},
    )
    notify_after_commit(
        recipients=participant_ids(locked),
        kind=consensus_kinds.ROUND,
        title=_("The round on “%s” is closed; its outcome is being computed")
        % locked.version.proposal.title,
        url=f"{locked.get_absolute_url()}result/",
    )
    enqueue_on_commit("consensus.compute_outcome", locked.pk)
    enqueue_on_commit("consensus.snapshot_balance", locked.process_id, locked.pk)
    return locked


def reminder_window() -> timedelta:
    """How long before its deadline a round is announced as closing soon (ROUND_REMINDER_HOURS)."""
    return timedelta(hours=settings.ROUND_REMINDER_HOURS)


def announced_if_soon(round_: Round) -> None:
    """Count a round's announcement (opening, extension) as its "closes soon" reminder when its
    deadline is already that near: nobody is told twice within the hour. Saves the round."""
    if round_.closes_at <= timezone.now() + reminder_window():
        round_.reminded_for = round_.closes_at
        round_.save(update_fields=["reminded_for"])


def rounds_remind_closing() -> list[int]:
    """Tell the participants who have not cast a ballot that a round closes soon, with its
    deadline; returns the rounds' ids.

    After: each open round whose deadline comes within the reminder window is announced once per
    deadline (an extension is announced again when its own deadline nears); two sweeps running
    at once never announce a round twice (the round's row is claimed, or skipped if locked).
    """
    reminded = []
    for pk in Round.objects.closing_soon(reminder_window()).values_list("pk", flat=True):
        with transaction.atomic():
            locked = (
                Round.objects.closing_soon(reminder_window())
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("version__proposal", "process")
                .filter(pk=pk)
                .first()
            )
            if locked is None:
                continue
            locked.reminded_for = locked.closes_at
            locked.save(update_fields=["reminded_for"])
            voted = Ballot.objects.filter(round=locked, current=True).values("user_id")
            notify_after_commit(
                recipients=participant_ids(locked).exclude(user_id__in=voted),
                kind=consensus_kinds.ROUND,
                title=_("The round on “%s” closes soon, and you have not voted yet")
                % locked.version.proposal.title,
                url=locked.get_absolute_url(),
                deadline=locked.closes_at,
            )
        reminded.append(pk)
    return reminded


def close_due_rounds() -> list[int]:
    """Close every open round whose deadline passed; returns their ids."""
    closed = []
    for round_ in Round.objects.due():
        round_close(actor=None, round_=round_)
        closed.append(round_.pk)
    return closed
