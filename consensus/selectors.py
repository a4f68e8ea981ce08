"""Reads of consensus: rounds, ballots, the objection register, and the tally's inputs."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from consensus.designation import Counts
from consensus.models import (
    Ballot,
    BallotExclusion,
    Objection,
    ObjectionState,
    Outcome,
    Round,
    RoundStatus,
)
from deliberation.models import Process
from stakeholders.models import User


def round_get(process: Process, pk: int) -> Round | None:
    return (
        Round.objects.filter(process=process, pk=pk)
        .select_related("version__proposal__issue", "process")
        .first()
    )


def process_rounds(process: Process) -> QuerySet[Round]:
    return (
        Round.objects.filter(process=process)
        .select_related("version__proposal")
        .annotate(ballot_count=Count("ballots", filter=Q(ballots__current=True)))
        .order_by("-created_at", "-id")
    )


def _suspended(prefix: str) -> Q:
    return Q(**{f"{prefix}banned_at__isnull": False}) | Q(
        **{f"{prefix}suspended_until__gt": timezone.now()}
    )


def _unacknowledged(round_: Round) -> Exists:
    return Exists(
        Objection.objects.filter(
            round=round_, objector=OuterRef("user"), acknowledged=False, state=ObjectionState.OPEN
        )
    )


def eligible_ballots(round_: Round) -> QuerySet[Ballot]:
    """Current ballots that count: not excluded by a facilitator, not cast by someone now
    suspended, and not an objection of a restricted participant still awaiting acknowledgement."""
    excluded = BallotExclusion.objects.filter(round=round_, user=OuterRef("user"))
    return (
        Ballot.objects.filter(round=round_, current=True)
        .exclude(Exists(excluded))
        .exclude(_suspended("user__"))
        .exclude(Q(_unacknowledged(round_), position="object"))
    )


@dataclass(frozen=True)
class TallyInput:
    """Counts per stakeholder group, per region and per economy; the open objections; and the
    current ballots kept but not counted, by reason."""

    groups: dict[str, Counts]
    regions: dict[str, Counts]
    development: dict[str, Counts]
    open_objections: int
    ballots: int
    not_counted: dict[str, int]


def _table() -> defaultdict[str, defaultdict[str, int]]:
    return defaultdict(lambda: defaultdict(int))


def _freeze(table: Mapping[str, Mapping[str, int]]) -> dict[str, Counts]:
    return {key: Counts(**dict(values)) for key, values in table.items()}


def _economy(developing: bool | None) -> str:
    return "unknown" if developing is None else "developing" if developing else "developed"


def tally_input(round_: Round) -> TallyInput:
    """Everything the pure tally needs, in two queries whatever the number of ballots.

    One GROUP BY over every current ballot, by (group, region, economy, position) and by why it
    would not count (excluded, suspended, unacknowledged objection), gives at most a few hundred
    rows; they are folded into the three breakdowns here. The second query counts the open
    objections that count.
    """
    excluded = BallotExclusion.objects.filter(round=round_, user=OuterRef("user"))
    rows = (
        Ballot.objects.filter(round=round_, current=True)
        .annotate(
            is_excluded=Exists(excluded),
            is_suspended=ExpressionWrapper(_suspended("user__"), output_field=BooleanField()),
            is_unacknowledged=ExpressionWrapper(
                Q(_unacknowledged(round_), position="object"), output_field=BooleanField()
            ),
        )
        .values_list(
            "stakeholder_group",
            "region",
            "developing",
            "position",
            "is_excluded",
            "is_suspended",
            "is_unacknowledged",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    groups, regions, development = _table(), _table(), _table()
    not_counted = {"excluded": 0, "suspended": 0, "unacknowledged": 0}
    total = 0
    for group, region, developing, position, excluded_, suspended, unacknowledged, n in rows:
        if excluded_ or suspended or unacknowledged:
            reason = "excluded" if excluded_ else "suspended" if suspended else "unacknowledged"
            not_counted[reason] += n
            continue
        groups[group][position] += n
        regions[region or "unknown"][position] += n
        development[_economy(developing)][position] += n
        total += n
    open_objections = (
        Objection.objects.filter(round=round_, state=ObjectionState.OPEN, acknowledged=True)
        .exclude(_suspended("objector__"))
        .count()
    )
    return TallyInput(
        _freeze(groups), _freeze(regions), _freeze(development), open_objections, total, not_counted
    )


def current_ballot(round_: Round, user: User) -> Ballot | None:
    if not user.is_authenticated:
        return None
    return (
        Ballot.objects.filter(round=round_, user=user, current=True)
        .select_related("affiliation")
        .first()
    )


def ballot_history(round_: Round, user: User) -> QuerySet[Ballot]:
    return Ballot.objects.filter(round=round_, user=user).order_by("cast_at", "id")


def round_ballots(round_: Round) -> QuerySet[Ballot]:
    """Current ballots with who cast them (the page decides whether names may be shown)."""
    return (
        Ballot.objects.filter(round=round_, current=True)
        .select_related("user", "affiliation")
        .order_by("stakeholder_group", "cast_at", "id")
    )


def round_objections(round_: Round) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(round=round_)
        .select_related("objector", "accommodated_in", "carried_from__round", "resolved_by")
        .order_by("created_at", "id")
    )


def process_objections(process: Process) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(round__process=process)
        .select_related("objector", "round__version__proposal", "accommodated_in")
        .order_by("-created_at", "-id")
    )


def outcome_of(round_: Round) -> Outcome | None:
    return (
        Outcome.objects.filter(round=round_)
        .prefetch_related("minority_statements__author", "challenges__author")
        .first()
    )


def latest_round_of_proposal(round_: Round) -> Round | None:
    """The newest earlier round on the same proposal (for carrying objections over)."""
    return (
        Round.objects.filter(
            version__proposal_id=round_.version.proposal_id,
            status__in=[RoundStatus.CLOSED, RoundStatus.DECLARED, RoundStatus.OPEN],
        )
        .exclude(pk=round_.pk)
        .filter(version__number__lte=round_.version.number)
        .order_by("-created_at", "-id")
        .first()
    )
