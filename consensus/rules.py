"""Who may do what with rounds, ballots, objections, outcomes, balance and support."""

from typing import Any

import rules

from consensus.models import BallotVisibility, Challenge, Objection, Outcome, Round, RoundStatus
from deliberation.rules import (
    can_view,
    facilitates,
    participates,
    process_is_open,
    sees_identity_in,
)
from stakeholders.models import Attribution, User
from stakeholders.rules import is_admin, may_act


def round_of(obj: Any) -> Round | None:
    if isinstance(obj, Round):
        return obj
    if isinstance(obj, Objection | Outcome):
        return obj.round
    if isinstance(obj, Challenge):
        return obj.outcome.round
    return None


def _status_in(*statuses: str) -> Any:
    @rules.predicate
    def predicate(user: User, obj: Any) -> bool:
        round_ = round_of(obj)
        return round_ is not None and round_.status in statuses

    return predicate


@rules.predicate
def accepting_ballots(user: User, obj: Any) -> bool:
    round_ = round_of(obj)
    return round_ is not None and round_.accepting_ballots


@rules.predicate
def is_objector(user: User, obj: Any) -> bool:
    return isinstance(obj, Objection) and obj.objector_id == user.pk


@rules.predicate
def objected_in_round(user: User, obj: Any) -> bool:
    round_ = round_of(obj)
    return round_ is not None and round_.objections.filter(objector=user).exists()


@rules.predicate
def objection_is_open(user: User, obj: Any) -> bool:
    return isinstance(obj, Objection) and obj.state == "open"


@rules.predicate
def awaits_acknowledgement(user: User, obj: Any) -> bool:
    return isinstance(obj, Objection) and not obj.acknowledged


@rules.predicate
def challenge_window_open(user: User, obj: Any) -> bool:
    return isinstance(obj, Outcome) and obj.declared and obj.challenge_open


def sees_voters(viewer: Any, round_: Round) -> bool:
    """Whether `viewer` sees who cast each ballot and objection even in a round that shows them
    by group only: admins and the round's facilitators, with two-factor where it is required."""
    return bool(viewer.is_authenticated and (is_admin(viewer) or facilitates(viewer, round_)))


def knows_participant(viewer: Any, round_: Round, person: User) -> bool:
    """Whether `viewer` may know who `person` is in this round: the one decision behind the
    names and ids of ballots and objections on pages, exports and the API."""
    if round_.ballot_visibility == BallotVisibility.GROUP_ONLY:
        return viewer.pk == person.pk or sees_voters(viewer, round_)
    return person.attribution == Attribution.NAMED or sees_identity_in(viewer, person, round_)


is_draft = _status_in(RoundStatus.DRAFT)
is_open = _status_in(RoundStatus.OPEN)
is_closed = _status_in(RoundStatus.CLOSED)
is_settled = _status_in(RoundStatus.CLOSED, RoundStatus.DECLARED)
runs_it = may_act & facilitates

rules.add_perm("consensus.view_round", can_view & (~is_draft | facilitates | is_admin))
rules.add_perm("consensus.add_round", runs_it & process_is_open)
rules.add_perm("consensus.open_round", runs_it & is_draft)
rules.add_perm("consensus.close_round", runs_it & (is_open | is_settled))
rules.add_perm("consensus.extend_round", runs_it & (is_draft | is_open))
rules.add_perm("consensus.vote_in_process", may_act & participates)
rules.add_perm("consensus.cast_ballot", may_act & participates & accepting_ballots)
rules.add_perm("consensus.exclude_ballot", runs_it & (is_open | is_closed))
rules.add_perm("consensus.resolve_objection", runs_it & objection_is_open)
rules.add_perm("consensus.withdraw_objection", may_act & is_objector & objection_is_open)
rules.add_perm(
    "consensus.acknowledge_objection", runs_it & objection_is_open & awaits_acknowledgement
)
rules.add_perm("consensus.declare", runs_it & is_closed)
rules.add_perm("consensus.add_minority_statement", may_act & objected_in_round & is_settled)
rules.add_perm("consensus.challenge", may_act & participates & challenge_window_open)
rules.add_perm("consensus.answer_challenge", runs_it)

# Participation balance and support (docs/design.md §4).
rules.add_perm("consensus.view_balance", can_view)
rules.add_perm("consensus.snapshot_balance", may_act & facilitates)
rules.add_perm("consensus.request_support", may_act & participates & process_is_open)
rules.add_perm("consensus.decide_support", may_act & facilitates)

# Statement polls register their permissions in the same rule set.
from consensus.polls import rules as poll_rules  # noqa: E402,F401
