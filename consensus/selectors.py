"""Reads of consensus: rounds, ballots, the objection register, the tally's and balance's inputs."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import DEFAULT_DB_ALIAS
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from consensus.balance.selectors import economy_label
from consensus.designation import Counts
from consensus.models import (
    Ballot,
    BallotExclusion,
    Objection,
    ObjectionState,
    Round,
    RoundStatus,
)
from deliberation.models import (
    Process,
)
from deliberation.selectors import visible_processes
from stakeholders.models import User
from stakeholders.rules import is_admin, mfa_satisfied


def round_by_id(pk: int) -> Round:
    """A round known by its id only, read from nothing: every other field is deferred (read on
    first use). The ballot endpoint casts on it, and the cast's own statement checks that the
    round exists, takes ballots and counts the caster among its participants."""
    return Round.from_db(DEFAULT_DB_ALIAS, ["id"], [pk])


def round_with_process(pk: int) -> Round | None:
    """The round with its process (what its rules read), by primary key only: the ballot
    endpoint's look-up. Two plain statements: building the ORM's join costs more CPU than the
    second round trip to PostgreSQL (docs/design.md §9)."""
    round_ = next(
        iter(Round.objects.raw("SELECT * FROM consensus_round WHERE id = %s", [pk])), None
    )
    if round_ is not None:
        round_.process = next(
            iter(
                Process.objects.raw(
                    "SELECT * FROM deliberation_process WHERE id = %s", [round_.process_id]
                )
            )
        )
    return round_


def numbered(rounds: QuerySet[Round]) -> QuerySet[Round]:
    """Each round with `number`: its place among the rounds on its proposal (round 1, round 2…),
    counted in the same query. The filter must keep every round of each proposal listed."""
    return rounds.annotate(
        number=Window(
            RowNumber(),
            partition_by=[F("version__proposal_id")],
            order_by=[F("created_at").asc(), F("id").asc()],
        )
    )


def process_rounds(process: Process) -> QuerySet[Round]:
    return numbered(
        Round.objects.filter(process=process)
        .select_related("version__proposal")
        .annotate(ballot_count=Count("ballots", filter=Q(ballots__current=True)))
    ).order_by("-created_at", "-id")


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
        development[economy_label(developing)][position] += n
        total += n
    # An excluded objector's objection does not count, like their ballot; a carried objection whose
    # author has not voted again still does: it stays open until answered.
    open_objections = (
        Objection.objects.filter(round=round_, state=ObjectionState.OPEN, acknowledged=True)
        .exclude(_suspended("objector__"))
        .exclude(Exists(BallotExclusion.objects.filter(round=round_, user=OuterRef("objector"))))
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


def expected_groups_without_ballot(round_: Round) -> list[str]:
    """The expected stakeholder groups with no current non-abstaining ballot (so no quorum), in
    one query.

    Expected groups are the round's own (copied when it opened), else its process's. The order is
    the expected order, so a warning lists them as the process does.
    """
    cast_groups = getattr(round_, "cast_groups", None)
    if cast_groups is not None:  # read with the round (round_get)
        expected = round_.expected_groups or round_.process.expected_groups or []
        return [group for group in dict.fromkeys(expected) if group not in set(cast_groups)]
    row = (
        Round.objects.filter(pk=round_.pk)
        .annotate(
            cast_groups=ArrayAgg(
                "ballots__stakeholder_group",
                filter=Q(ballots__current=True) & ~Q(ballots__position="abstain"),
                distinct=True,
                default=Value([]),
            )
        )
        .values("expected_groups", "process__expected_groups", "cast_groups")
        .first()
    )
    if row is None:
        return []
    expected = row["expected_groups"] or row["process__expected_groups"] or []
    cast = set(row["cast_groups"])
    return [group for group in dict.fromkeys(expected) if group not in cast]


# --- participation balance (docs/design.md §4)
# --------------------------------------------------------


# --- participation support ------------------------------------------------------------------


def visible_rounds(user: User | None) -> QuerySet[Round]:
    """The rounds `consensus.view_round` lets the user see, as one query: rounds of processes
    they may read, drafts only for admins and the process's facilitators (with TOTP where it is
    required)."""
    rounds = Round.objects.filter(process__in=visible_processes(user))
    if user is None or not user.is_authenticated:
        return rounds.exclude(status=RoundStatus.DRAFT)
    if is_admin(user):
        return rounds
    if not mfa_satisfied(user):
        return rounds.exclude(status=RoundStatus.DRAFT)
    facilitated = Process.facilitators.through.objects.filter(
        process_id=OuterRef("process_id"), user_id=user.pk
    )
    return rounds.filter(~Q(status=RoundStatus.DRAFT) | Exists(facilitated))
