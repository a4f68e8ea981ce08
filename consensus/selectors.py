"""Reads of consensus: rounds, ballots, the objection register, and the tally's inputs."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
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


def uncounted_ballots(round_: Round) -> dict[str, int]:
    """How many current ballots are kept but not counted, and why (one query)."""
    counts = Ballot.objects.filter(round=round_, current=True).aggregate(
        suspended=Count("id", filter=_suspended("user__")),
        unacknowledged=Count("id", filter=Q(_unacknowledged(round_), position="object")),
    )
    return {key: int(value or 0) for key, value in counts.items()}


@dataclass(frozen=True)
class TallyInput:
    """Counts per stakeholder group, per region and per economy, and the open objections."""

    groups: dict[str, Counts]
    regions: dict[str, Counts]
    development: dict[str, Counts]
    open_objections: int
    ballots: int


def _add(counts: dict[str, dict[str, int]], key: str, position: str, n: int) -> None:
    counts[key][position] += n


def tally_input(round_: Round) -> TallyInput:
    """Everything the pure tally needs, in two queries whatever the number of ballots.

    One GROUP BY over (group, region, economy, position) gives at most a few hundred rows, which
    are folded into the three breakdowns here; the second query counts open objections.
    """
    rows = (
        eligible_ballots(round_)
        .values_list("stakeholder_group", "region", "developing", "position")
        .annotate(n=Count("id"))
        .order_by()
    )
    groups: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    regions: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    development: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    total = 0
    for group, region, developing, position, n in rows:
        _add(groups, group, position, n)
        _add(regions, region or "unknown", position, n)
        economy = "unknown" if developing is None else "developing" if developing else "developed"
        _add(development, economy, position, n)
        total += n
    open_objections = (
        Objection.objects.filter(round=round_, state=ObjectionState.OPEN, acknowledged=True)
        .exclude(_suspended("objector__"))
        .count()
    )

    def freeze(table: dict[str, dict[str, int]]) -> dict[str, Counts]:
        return {key: Counts(**dict(values)) for key, values in table.items()}

    return TallyInput(freeze(groups), freeze(regions), freeze(development), open_objections, total)


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
