"""Reads for balance and participation support: the contributors, snapshots and support requests."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from consensus.balance.text import DIMENSIONS
from consensus.models import (
    BalanceSnapshot,
    Ballot,
    Round,
    RoundStatus,
    SupportRequest,
    SupportStatus,
)
from deliberation.models import (
    Comment,
    CommentState,
    Participation,
    Process,
    ProcessStatus,
    ProposalVersion,
)
from stakeholders import countries
from stakeholders.models import Affiliation, User


def economy_label(developing: bool | None) -> str:
    return "unknown" if developing is None else "developing" if developing else "developed"


@dataclass(frozen=True)
class Contributor:
    """What the balance needs to know about one person who contributed to a process."""

    region: str  # a UN regional group, or "unknown"
    development: str  # "developing", "developed" or "unknown"
    funding: str  # one of stakeholders.models.Funding, or "unknown" until the person says
    gender: str  # the self-description, case-folded; "" when none was given
    group: str  # the stakeholder group of the primary hat (versions count with it), or "unknown"
    returning: bool  # took part in, or facilitated, another process before this one


@dataclass(frozen=True)
class BalanceInput:
    """Contribution counts per person, already grouped by the database, and the people."""

    comments: list[tuple[int, str, int]]  # (author, group of the hat worn, comments)
    ballots: list[tuple[int, str, str, bool | None, int]]  # (voter, group, region, developing, n)
    versions: list[tuple[int, int]]  # (author, versions)
    people: dict[int, Contributor]


def _contributors(process: Process, ids: Iterable[int]) -> dict[int, Contributor]:
    """One query over the people who contributed, with newcomer status and primary hat."""
    anchor = Coalesce(
        Subquery(
            Participation.objects.filter(process=process, user=OuterRef("pk")).values("joined_at")[
                :1
            ]
        ),
        Value(process.created_at, output_field=DateTimeField()),
    )
    earlier_participation = Participation.objects.filter(
        user=OuterRef("pk"), joined_at__lt=OuterRef("anchor")
    ).exclude(process=process)
    earlier_facilitation = Process.objects.filter(
        facilitators=OuterRef("pk"), created_at__lt=OuterRef("anchor")
    ).exclude(pk=process.pk)
    primary_group = Subquery(
        Affiliation.objects.active()
        .filter(user=OuterRef("pk"))
        .order_by("-primary", "id")
        .values("stakeholder_group")[:1]
    )
    rows = (
        User.objects.filter(pk__in=list(ids))
        .annotate(anchor=anchor)
        .annotate(
            took_part=Exists(earlier_participation),
            facilitated=Exists(earlier_facilitation),
            group=primary_group,
        )
        .values_list("pk", "country", "funding", "gender", "group", "took_part", "facilitated")
        .order_by()
    )
    people = {}
    for pk, country, funding, gender, group, took_part, facilitated in rows:
        found = countries.get_country(country) if country else None
        people[pk] = Contributor(
            region=found.region if found else "unknown",
            development=economy_label(found.developing if found else None),
            funding=funding or "unknown",
            gender=" ".join(gender.split()).casefold(),
            group=group or "unknown",
            returning=bool(took_part or facilitated),
        )
    return people


def balance_input(process: Process, *, as_of: datetime | None = None) -> BalanceInput:
    """Everything a balance snapshot needs, in four queries whatever the number of contributions.

    Each contribution table is grouped by person (and category columns) in the database, so the
    rows returned number at most a few per person; the fourth query reads those people. Counted:
    visible comments, current ballots and proposal versions of the process, made up to ``as_of``
    (default: everything). ``as_of`` is exact for comments, versions and closed rounds; for a
    round still open then, a ballot changed after ``as_of`` counts as its current self.
    """
    comments = Comment.objects.filter(issue__process=process, state=CommentState.VISIBLE)
    ballots = Ballot.objects.filter(round__process=process, current=True)
    versions = ProposalVersion.objects.filter(proposal__issue__process=process)
    if as_of is not None:
        comments = comments.filter(created_at__lte=as_of)
        ballots = ballots.filter(cast_at__lte=as_of)
        versions = versions.filter(created_at__lte=as_of)
    comment_rows = list(
        comments.values_list("author_id", "affiliation__stakeholder_group")
        .annotate(n=Count("id"))
        .order_by()
    )
    ballot_rows = list(
        ballots.values_list("user_id", "stakeholder_group", "region", "developing")
        .annotate(n=Count("id"))
        .order_by()
    )
    version_rows = list(versions.values_list("created_by_id").annotate(n=Count("id")).order_by())
    # Statement polls count too: statements as comments, votes as ballots (docs/design.md §7.1).
    from consensus.polls.selectors import balance_rows

    poll_statements, poll_votes = balance_rows(process, as_of=as_of)
    comment_rows += poll_statements
    ballot_rows += poll_votes
    ids = {row[0] for row in comment_rows} | {row[0] for row in ballot_rows}
    ids |= {row[0] for row in version_rows}
    return BalanceInput(
        comments=comment_rows,
        ballots=ballot_rows,
        versions=version_rows,
        people=_contributors(process, ids),
    )


def latest_snapshot(process: Process) -> BalanceSnapshot | None:
    return BalanceSnapshot.objects.filter(process=process).order_by("-computed_at", "-id").first()


def round_close_snapshot(round_: Round) -> BalanceSnapshot | None:
    return BalanceSnapshot.objects.filter(round=round_, trigger="round_close").first()


def snapshot_history(process: Process) -> QuerySet[BalanceSnapshot]:
    """Every snapshot of a process, newest first (the API pages through them)."""
    return BalanceSnapshot.objects.filter(process=process).order_by("-computed_at", "-id")


def index_history(process: Process, *, limit: int = 100) -> list[dict[str, Any]]:
    """The last ``limit`` snapshots' indices, oldest first, without loading their categories.

    Each row: ``{"computed_at", "trigger", "indices": {dimension: index or None}}``.
    """
    paths = {d: f"dimensions__{d}__index" for d in DIMENSIONS}
    rows = list(
        BalanceSnapshot.objects.filter(process=process)
        .order_by("-computed_at", "-id")
        .values("computed_at", "trigger", *paths.values())[:limit]
    )
    rows.reverse()
    return [
        {
            "computed_at": row["computed_at"],
            "trigger": row["trigger"],
            "indices": {d: row[path] for d, path in paths.items()},
        }
        for row in rows
    ]


def open_processes() -> QuerySet[Process]:
    """Processes whose balance beat keeps measuring: open and not archived."""
    return Process.objects.active().filter(status=ProcessStatus.OPEN)


def rounds_closed_without_snapshot() -> QuerySet[Round]:
    """Closed or declared rounds whose round-close snapshot is missing (its task was lost)."""
    taken = BalanceSnapshot.objects.filter(round=OuterRef("pk"), trigger="round_close")
    return (
        Round.objects.filter(
            status__in=[RoundStatus.CLOSED, RoundStatus.DECLARED], closed_at__isnull=False
        )
        .exclude(Exists(taken))
        .select_related("process")
        .order_by("closed_at", "id")
    )


def support_requests_of(process: Process, user: User) -> QuerySet[SupportRequest]:
    """A requester's own requests in a process, newest first."""
    return (
        SupportRequest.objects.filter(process=process, requester=user)
        .select_related("process", "decided_by")
        .order_by("-created_at", "-id")
    )


def support_requests(process: Process) -> QuerySet[SupportRequest]:
    """Every request of a process, with the people involved, oldest first."""
    return (
        SupportRequest.objects.filter(process=process)
        .select_related("process", "requester", "decided_by")
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class SupportTotals:
    """Granted support of a process: by stakeholder group and by region, and the budget left."""

    budget: Decimal
    granted: Decimal
    granted_count: int
    by_group: dict[str, tuple[int, Decimal]]
    by_region: dict[str, tuple[int, Decimal]]

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.granted


def support_totals(process: Process) -> SupportTotals:
    """One GROUP BY over the granted requests, folded into per-group and per-region totals."""
    rows = (
        SupportRequest.objects.filter(process=process, status=SupportStatus.GRANTED)
        .values_list("stakeholder_group", "region")
        .annotate(n=Count("id"), amount=Coalesce(Sum("amount_granted"), Decimal(0)))
        .order_by()
    )
    by_group: dict[str, tuple[int, Decimal]] = {}
    by_region: dict[str, tuple[int, Decimal]] = {}
    granted, count = Decimal(0), 0
    for group, region, n, amount in rows:
        for table, key in ((by_group, group), (by_region, region or "unknown")):
            before_n, before_amount = table.get(key, (0, Decimal(0)))
            table[key] = (before_n + n, before_amount + amount)
        granted += amount
        count += n
    return SupportTotals(
        budget=process.support_budget,
        granted=granted,
        granted_count=count,
        by_group=by_group,
        by_region=by_region,
    )
