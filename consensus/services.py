"""Every write of consensus: rounds, ballots, objections, outcomes, declarations, challenges."""

from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consensus import designation, selectors
from consensus.models import (
    Ballot,
    BallotExclusion,
    BallotVisibility,
    CarriedAnswer,
    Challenge,
    MinorityStatement,
    Objection,
    ObjectionState,
    Outcome,
    Position,
    Round,
    RoundStatus,
)
from deliberation.models import Participation, ProposalVersion
from deliberation.services import participation_hat
from record.errors import StateConflict
from record.queue import enqueue_on_commit
from record.services import audit_append
from stakeholders.models import Affiliation, NotificationKind, User
from stakeholders.services import (
    Message,
    notification_send,
    notifications_send,
    notify_after_commit,
)

SUSPENDED_BALLOT = gettext_lazy("Your account is suspended: you can read, but not cast a ballot.")
_ADVISORY_CAST_NAMESPACE = 0x2F00_0000  # keeps these keys apart from other advisory locks
PARAMETER_FIELDS = (
    "quorum_per_group",
    "group_support_min",
    "minority_max_share",
    "strong_support_mean",
)


def _locked(round_: Round) -> Round:
    """Re-read the round under a row lock: casting, closing and declaring are serialised on it."""
    locked = (
        Round.objects.select_for_update()
        .select_related("version__proposal__issue", "process")
        .get(pk=round_.pk)
    )
    round_.status = locked.status
    return locked


def _participants(round_: Round) -> Any:
    """The ids of the round's process's participants, as a query read when it is needed."""
    return Participation.objects.filter(process_id=round_.process_id).values_list(
        "user_id", flat=True
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
    locked = _locked(round_)
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
        recipients=_participants(locked),
        kind=NotificationKind.ROUND,
        title=_("A consensus round is open: %s") % locked.version.proposal.title,
        url=locked.get_absolute_url(),
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
        lambda: notifications_send(kind=NotificationKind.OBJECTION, messages=messages),
        robust=True,
    )
    return len(old)


@transaction.atomic
def round_close(*, actor: User | None, round_: Round) -> Round:
    """Close an open round (a facilitator, or beat at the deadline). Closing twice is harmless.

    After: no ballot is accepted any more (a racing cast waits for this lock, then gets 409); the
    outcome is computed after commit, and by the periodic sweep if that message is lost.
    """
    locked = _locked(round_)
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
        recipients=_participants(locked),
        kind=NotificationKind.ROUND,
        title=_("The round on “%s” is closed; its outcome is being computed")
        % locked.version.proposal.title,
        url=f"{locked.get_absolute_url()}result/",
    )
    from consensus.tasks import compute_outcome, snapshot_balance

    enqueue_on_commit(compute_outcome, locked.pk)
    enqueue_on_commit(snapshot_balance, locked.process_id, locked.pk)
    return locked


def close_due_rounds() -> list[int]:
    """Close every open round whose deadline passed; returns their ids."""
    closed = []
    for round_ in Round.objects.due():
        round_close(actor=None, round_=round_)
        closed.append(round_.pk)
    return closed


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
    locked = _locked(round_)
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
            kind=NotificationKind.OBJECTION,
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
def ballot_cast(
    *,
    actor: User,
    round_: Round,
    position: str,
    rationale: str = "",
    affiliation: Affiliation | int | None = None,
    proposed_change: str = "",
) -> tuple[Ballot, bool]:
    """Cast or change the actor's ballot; returns (current ballot, whether it is their first).

    Before: the actor takes part in the process; an objection has a rationale.
    After: exactly one current ballot for (round, actor); every earlier one is kept, not current.
    Casting holds a SHARE lock on the round row while it checks that the actor takes part and
    that the round is open, and writes; closing takes an UPDATE lock on the same row, so a
    ballot racing the close is either counted (the close waits for it) or refused with
    StateConflict — never half-counted. Casts do not block one another; two casts by the same
    person are serialised by an advisory lock.
    """
    if position not in Position.values:
        raise ValidationError({"position": _("Choose support, accept, abstain or object.")})
    rationale = rationale.strip()
    if position == Position.OBJECT and not rationale:
        raise ValidationError(
            {"rationale": _("An objection needs a rationale: say why you cannot live with it.")}
        )
    if actor.is_suspended:
        raise PermissionError(str(SUSPENDED_BALLOT))
    proposed_change = proposed_change.strip()
    default_hat = _lock_for_casting(round_, actor)
    if affiliation is None and default_hat is not None:
        hat_id, hat_group = default_hat
    else:
        hat = participation_hat(actor=actor, process=round_.process, affiliation=affiliation)
        hat_id, hat_group = hat.pk, hat.stakeholder_group
    retired = _retire_previous(round_, actor, (position, rationale, hat_id, proposed_change))
    if retired is None:
        unchanged = Ballot.objects.filter(round=round_, user=actor, current=True).first()
        if unchanged is not None:
            return unchanged, False
    ballot = Ballot.objects.create(
        round=round_,
        user=actor,
        affiliation_id=hat_id,
        stakeholder_group=hat_group,
        region=actor.region or "",
        developing=actor.developing,
        position=position,
        rationale=rationale,
        proposed_change=proposed_change,
    )
    # Only an objection, or a ballot that may replace one (the first in a round can meet a
    # carried-over objection), touches the register.
    if position == Position.OBJECT or retired in (None, Position.OBJECT):
        _follow_objection(round_, actor, ballot)
    return ballot, retired is None


def _lock_for_casting(round_: Round, actor: User) -> tuple[int, str] | None:
    """Take the (round, person) advisory lock, share-lock the round row and check under that lock
    that the actor takes part and that the round takes ballots — one statement on the hot path.
    Returns the actor's default hat in the process (id, group) while it is active, else None.
    Django has no FOR SHARE, hence the SQL."""
    with connection.cursor() as cursor:
        # Two 32-bit keys; a collision only makes two unrelated casts wait for each other.
        cursor.execute(
            "SELECT r.status, r.closes_at > now(), pg_advisory_xact_lock(%s, %s), p.id,"
            " a.id, a.stakeholder_group, (a.ended_on IS NULL OR a.ended_on > CURRENT_DATE)"
            " FROM consensus_round r"
            " LEFT JOIN deliberation_participation p"
            "  ON p.process_id = r.process_id AND p.user_id = %s"
            " LEFT JOIN stakeholders_affiliation a ON a.id = p.affiliation_id"
            " WHERE r.id = %s FOR SHARE OF r",
            [
                _ADVISORY_CAST_NAMESPACE ^ (round_.pk % 2**31),
                actor.pk % 2**31,
                actor.pk,
                round_.pk,
            ],
        )
        row = cursor.fetchone()
    if row is not None and row[3] is None:
        raise PermissionError(_("Join the process before you cast a ballot."))
    if row is None or row[0] != RoundStatus.OPEN or not row[1]:
        raise StateConflict(_("This round is not open for ballots."))
    return (int(row[4]), str(row[5])) if row[6] else None


def _retire_previous(round_: Round, actor: User, ballot: tuple[str, str, int, str]) -> str | None:
    """Mark the actor's current ballot in the round not current, unless it says exactly `ballot`
    (position, rationale, hat, proposed change). Returns the retired ballot's position, or None
    when nothing was retired (no ballot yet, or the same one again)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE consensus_ballot SET current = false"
            " WHERE round_id = %s AND user_id = %s AND current"
            " AND (position, rationale, affiliation_id, proposed_change)"
            " IS DISTINCT FROM (%s::varchar, %s::text, %s::bigint, %s::text)"
            " RETURNING position",
            [round_.pk, actor.pk, *ballot],
        )
        row = cursor.fetchone()
    return str(row[0]) if row else None


def _follow_objection(round_: Round, actor: User, ballot: Ballot) -> None:
    """Keep the register in step with the ballot: object opens (or updates) an objection; any
    other position withdraws the open one."""
    open_objection = (
        Objection.objects.select_for_update()
        .filter(round=round_, objector=actor, state=ObjectionState.OPEN)
        .first()
    )
    if ballot.position == Position.OBJECT:
        if open_objection is None:
            objection = Objection.objects.create(
                round=round_,
                objector=actor,
                ballot=ballot,
                stakeholder_group=ballot.stakeholder_group,
                text=ballot.rationale,
                acknowledged=not actor.is_restricted,
            )
            audit_append(
                actor=actor,
                action="objection.open",
                obj=objection,
                process=round_.process_id,
                veiled=round_.ballot_visibility == BallotVisibility.GROUP_ONLY,
                data={"round": round_.pk, "stakeholder_group": objection.stakeholder_group},
            )
        else:
            open_objection.text = ballot.rationale
            open_objection.ballot = ballot
            open_objection.carried_answer = (
                CarriedAnswer.STANDS if open_objection.carried_from_id else ""
            )
            open_objection.save(update_fields=["text", "ballot", "carried_answer"])
    elif open_objection is not None:
        _resolve(open_objection, actor=actor, state=ObjectionState.WITHDRAWN, response="")


def _resolve(
    objection: Objection,
    *,
    actor: User,
    state: str,
    response: str,
    version: ProposalVersion | None = None,
) -> Objection:
    objection.state = state
    objection.response = response
    objection.accommodated_in = version
    objection.resolved_by = actor
    objection.resolved_at = timezone.now()
    objection.full_clean(exclude=["ballot", "carried_from"])
    objection.save()
    audit_append(
        actor=actor,
        action=f"objection.{state}",
        obj=objection,
        process=objection.round.process_id,
        people=[objection.objector_id],
        veiled=objection.round.ballot_visibility == BallotVisibility.GROUP_ONLY,
        data={
            "round": objection.round_id,
            "response": response,
            "version": version.pk if version else None,
        },
    )
    _register_changed(actor=actor, objection=objection)
    return objection


def _register_changed(*, actor: User, objection: Objection) -> None:
    from consensus.closeout import objection_changed  # closeout builds on this module

    objection_changed(actor=actor, objection=objection)


def _require_open(objection: Objection) -> None:
    if objection.state != ObjectionState.OPEN:
        raise StateConflict(_("This objection is already %s.") % objection.get_state_display())


@transaction.atomic
def objection_address(*, actor: User, objection: Objection, reason: str) -> Objection:
    """A facilitator answers an objection without changing the text; the reason is public."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say how the objection was considered and answered.")})
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    _require_open(objection)
    return _resolve(objection, actor=actor, state=ObjectionState.ADDRESSED, response=reason.strip())


@transaction.atomic
def objection_accommodate(
    *, actor: User, objection: Objection, reason: str, version: ProposalVersion
) -> Objection:
    """A later version of the same proposal changed the text for this objection."""
    objection = (
        Objection.objects.select_for_update().select_related("round__version").get(pk=objection.pk)
    )
    _require_open(objection)
    round_version = objection.round.version
    if version.proposal_id != round_version.proposal_id or version.number <= round_version.number:
        raise ValidationError(
            {
                "version": _("Name a later version of the same proposal (after version %d).")
                % round_version.number
            }
        )
    return _resolve(
        objection,
        actor=actor,
        state=ObjectionState.ACCOMMODATED,
        response=reason.strip(),
        version=version,
    )


@transaction.atomic
def objection_withdraw(*, actor: User, objection: Objection) -> Objection:
    """The objector withdraws; while the round is open their ballot becomes `abstain`."""
    objection = Objection.objects.select_for_update().select_related("round").get(pk=objection.pk)
    if objection.objector_id != actor.pk:
        raise PermissionError(_("Only the objector may withdraw an objection."))
    _require_open(objection)
    _resolve(objection, actor=actor, state=ObjectionState.WITHDRAWN, response="")
    round_ = objection.round
    current = Ballot.objects.filter(round=round_, user=actor, current=True).first()
    if round_.accepting_ballots and current is not None and current.position == Position.OBJECT:
        ballot_cast(
            actor=actor,
            round_=round_,
            position=Position.ABSTAIN,
            rationale=_("Objection withdrawn."),
            affiliation=current.affiliation_id,
        )
    return objection


@transaction.atomic
def objection_answer_carried(*, actor: User, objection: Objection, resolved: bool) -> Objection:
    """The objector says whether the new version resolves a carried-over objection."""
    objection = (
        Objection.objects.select_for_update().select_related("round__version").get(pk=objection.pk)
    )
    if objection.objector_id != actor.pk:
        raise PermissionError(_("Only the objector answers for an objection."))
    if objection.carried_from_id is None:
        raise StateConflict(_("Only a carried-over objection asks this question."))
    _require_open(objection)
    if not resolved:
        objection.carried_answer = CarriedAnswer.STANDS
        objection.save(update_fields=["carried_answer"])
        return objection
    objection.carried_answer = CarriedAnswer.RESOLVED
    return _resolve(
        objection,
        actor=actor,
        state=ObjectionState.ACCOMMODATED,
        response=_("The objector says version %d resolves it.") % objection.round.version.number,
        version=objection.round.version,
    )


@transaction.atomic
def ballot_exclude(*, actor: User, round_: Round, user: User, reason: str) -> BallotExclusion:
    """Exclude a person's ballot from the count with a written, public reason."""
    locked = _locked(round_)
    if Outcome.objects.filter(round=locked).exists():
        raise StateConflict(_("The outcome is computed; the count can no longer change."))
    exclusion = BallotExclusion(round=locked, user=user, reason=reason.strip(), created_by=actor)
    exclusion.full_clean()
    exclusion.save()
    audit_append(
        actor=actor,
        action="ballot.exclude",
        obj=locked,
        process=locked.process_id,
        people=[user],
        veiled=locked.ballot_visibility == BallotVisibility.GROUP_ONLY,
        data={"user": user.pk, "reason": exclusion.reason},
    )
    return exclusion


@transaction.atomic
def outcome_declare(
    *,
    actor: User,
    round_: Round,
    designation_: str,
    rationale: str,
    over_open_objections: bool = False,
) -> Outcome:
    """The facilitator declares the outcome on the record.

    Before: the round is closed and its outcome computed; a declaration that differs from the
    computed designation has a written rationale; no objection is open unless the facilitator
    chose explicitly to declare over open ones. After: the figures are those of the register at
    the declaration, and the challenge window is open.
    """
    from consensus.closeout import declare_check, outcome_refresh  # closeout builds on this

    if designation_ not in designation.Designation.__members__.values():
        raise ValidationError({"designation": _("Unknown designation.")})
    locked = _locked(round_)
    if locked.status == RoundStatus.DECLARED:
        raise StateConflict(_("This round's outcome is already declared."))
    if locked.status != RoundStatus.CLOSED:
        raise StateConflict(_("Close the round before declaring its outcome."))
    if not Outcome.objects.filter(round=locked).exists():
        raise StateConflict(_("The outcome is still being computed; try again in a moment."))
    outcome_refresh(round_=locked)
    outcome = Outcome.objects.select_for_update().get(round=locked)
    rationale = rationale.strip()
    if designation_ != outcome.computed_designation and not rationale:
        raise ValidationError(
            {"rationale": _("Explain why you declare a designation other than the computed one.")}
        )
    declare_check(round_=locked, over_open_objections=over_open_objections)
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
            "over_open_objections": over_open_objections,
        },
    )
    notify_after_commit(
        recipients=_participants(locked),
        kind=NotificationKind.ROUND,
        title=_("The outcome of “%s” is declared") % locked.version.proposal.title,
        url=f"{locked.get_absolute_url()}result/",
    )
    return outcome


@transaction.atomic
def minority_statement_add(*, actor: User, outcome: Outcome, text: str) -> MinorityStatement:
    """An objector of the round attaches a statement (not under Full consensus)."""
    if (
        outcome.computed_designation == designation.Designation.FULL_CONSENSUS
        and not outcome.declared_designation
    ):
        raise StateConflict(_("There is no minority under Full consensus."))
    if not Objection.objects.filter(round_id=outcome.round_id, objector=actor).exists():
        raise PermissionError(_("Only the round's objectors attach minority statements."))
    statement = MinorityStatement(outcome=outcome, author=actor, text=text.strip())
    statement.full_clean()
    statement.save()
    return statement


@transaction.atomic
def challenge_create(*, actor: User, outcome: Outcome, text: str) -> Challenge:
    """A participant contests the declaration while the challenge window is open."""
    if not outcome.declared or not outcome.challenge_open:
        raise StateConflict(_("The challenge window is not open."))
    challenge = Challenge(outcome=outcome, author=actor, text=text.strip())
    challenge.full_clean()
    challenge.save()
    audit_append(
        actor=actor,
        action="challenge.create",
        obj=challenge,
        process=outcome.round.process_id,
        data={"round": outcome.round_id},
    )
    for facilitator in outcome.round.process.facilitators.all():
        notification_send(
            user=facilitator,
            kind=NotificationKind.ROUND,
            title=_("A declaration was challenged"),
            body=challenge.text[:500],
            url=f"{outcome.round.get_absolute_url()}result/",
        )
    return challenge


@transaction.atomic
def challenge_answer(*, actor: User, challenge: Challenge, answer: str) -> Challenge:
    """Every challenge gets a written answer from a facilitator."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.answered_at is not None:
        raise StateConflict(_("This challenge is already answered."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    challenge.answer = answer.strip()
    challenge.answered_by = actor
    challenge.answered_at = timezone.now()
    challenge.save()
    audit_append(
        actor=actor,
        action="challenge.answer",
        obj=challenge,
        process=challenge.outcome.round.process_id,
        people=[challenge.author_id],
        data={"answer": challenge.answer},
    )
    notification_send(
        user=challenge.author,
        kind=NotificationKind.ROUND,
        title=_("Your challenge was answered"),
        url=f"{challenge.outcome.round.get_absolute_url()}result/",
    )
    return challenge


@transaction.atomic
def objection_acknowledge(*, actor: User, objection: Objection) -> Objection:
    """A facilitator lets a restricted participant's objection count."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.acknowledged:
        return objection
    objection.acknowledged = True
    objection.save(update_fields=["acknowledged"])
    audit_append(
        actor=actor,
        action="objection.acknowledge",
        obj=objection,
        process=objection.round.process_id,
        people=[objection.objector_id],
        veiled=objection.round.ballot_visibility == BallotVisibility.GROUP_ONLY,
        data={"round": objection.round_id},
    )
    _register_changed(actor=actor, objection=objection)
    return objection
