"""Ballot services: casting (one current ballot per person and round) and excluding a ballot."""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consensus.models import (
    Ballot,
    BallotExclusion,
    BallotVisibility,
    CarriedAnswer,
    Objection,
    ObjectionState,
    Outcome,
    Position,
    Round,
    RoundStatus,
)
from consensus.services._shared import resolve_objection, round_locked
from deliberation.services import participation_hat
from record.services import audit_append
from stakeholders.models import Affiliation, User
from web.errors import StateConflict

SUSPENDED_BALLOT = gettext_lazy("Your account is suspended: you can read, but not cast a ballot.")
_ADVISORY_CAST_NAMESPACE = 0x2F00_0000  # keeps these keys apart from other advisory locks


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
    ballot = Ballot(
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
    retired, stored = _replace_current(ballot)
    if not stored:  # the same ballot again: the current one stands
        unchanged = Ballot.objects.filter(round=round_, user=actor, current=True).first()
        assert unchanged is not None
        return unchanged, False
    # Only an objection, or a ballot that may replace one (the first in a round can meet a
    # carried-over objection), touches the register.
    if position == Position.OBJECT or retired in (None, Position.OBJECT):
        _follow_objection(round_, actor, ballot)
    return ballot, retired is None


# The columns a cast writes, with their types (parameters in a SELECT list need them).
_BALLOT_COLUMNS = (
    ("round_id", "bigint"), ("user_id", "bigint"), ("affiliation_id", "bigint"),
    ("stakeholder_group", "varchar"), ("region", "varchar"), ("developing", "boolean"),
    ("position", "varchar"), ("rationale", "text"), ("proposed_change", "text"),
    ("cast_at", "timestamptz"), ("current", "boolean"),
)  # fmt: skip
_NAMES = ", ".join(name for name, _type in _BALLOT_COLUMNS)
_VALUES = ", ".join(f"%s::{kind}" for _name, kind in _BALLOT_COLUMNS)
# Retire the person's current ballot unless it says exactly the same (position, rationale, hat,
# proposed change), and store the new one if something was retired or there was none: one
# statement on the casting hot path, under the caller's locks (_lock_for_casting).
_REPLACE_CURRENT = f"""
    WITH retired AS (
        UPDATE consensus_ballot SET current = false
        WHERE round_id = %s AND user_id = %s AND current
        AND (position, rationale, affiliation_id, proposed_change)
        IS DISTINCT FROM (%s::varchar, %s::text, %s::bigint, %s::text)
        RETURNING position
    ), stored AS (
        INSERT INTO consensus_ballot ({_NAMES}) SELECT {_VALUES}
        WHERE EXISTS (SELECT 1 FROM retired) OR NOT EXISTS (
            SELECT 1 FROM consensus_ballot WHERE round_id = %s AND user_id = %s AND current)
        RETURNING id
    )
    SELECT (SELECT position FROM retired), (SELECT id FROM stored)
"""  # noqa: S608 - constants


def _replace_current(ballot: Ballot) -> tuple[str | None, bool]:
    """Make the unsaved `ballot` its author's current one in its round, unless their current
    ballot already says the same. Returns the retired ballot's position (None when nothing was
    retired: a first ballot, or the same one again) and whether `ballot` was stored (then it is
    saved, with its id)."""
    round_id, user_id = ballot.round_id, ballot.user_id
    same = (ballot.position, ballot.rationale, ballot.affiliation_id, ballot.proposed_change)
    with connection.cursor() as cursor:
        cursor.execute(
            _REPLACE_CURRENT,
            [
                round_id, user_id, *same,
                *(getattr(ballot, name) for name, _type in _BALLOT_COLUMNS),
                round_id, user_id,
            ],
        )  # fmt: skip
        row = cursor.fetchone()
    assert row is not None
    retired, stored = row
    if stored is None:
        return retired, False
    ballot.pk = stored
    ballot._state.adding = False
    ballot._state.db = connection.alias
    return retired, True


def _lock_for_casting(round_: Round, actor: User) -> tuple[int, str] | None:
    """Take the (round, person) advisory lock, share-lock the round row and check under that lock
    that the actor takes part and that the round takes ballots — one statement on the hot path.
    Returns the actor's default hat in the process (id, group) while it is active, else None;
    a round given by its id only (`selectors.round_by_id`) learns its process here.
    Django has no FOR SHARE, hence the SQL."""
    with connection.cursor() as cursor:
        # Two 32-bit keys; a collision only makes two unrelated casts wait for each other.
        cursor.execute(
            "SELECT r.status, r.closes_at > now(), pg_advisory_xact_lock(%s, %s), p.id,"
            " a.id, a.stakeholder_group, (a.ended_on IS NULL OR a.ended_on > CURRENT_DATE),"
            " r.process_id"
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
    if "process_id" in round_.get_deferred_fields():  # a round known by its id only
        round_.process_id = row[7]
    return (int(row[4]), str(row[5])) if row[6] else None


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
        resolve_objection(open_objection, actor=actor, state=ObjectionState.WITHDRAWN, response="")


@transaction.atomic
def ballot_exclude(*, actor: User, round_: Round, user: User, reason: str) -> BallotExclusion:
    """Exclude a person's ballot from the count with a written, public reason."""
    locked = round_locked(round_)
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
