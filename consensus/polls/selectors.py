"""Reads of statement polls: visible polls, statements with their counts, the vote matrix."""

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, Exists, F, Func, OuterRef, Q, QuerySet, Subquery

from consensus.polls.models import (
    Moderation,
    OpinionMapResult,
    Poll,
    PollParticipant,
    PollStatus,
    Statement,
    Vote,
)
from consensus.polls.opinion import VoteData
from deliberation import selectors as deliberation_selectors
from deliberation.models import Process, ProcessStatus
from stakeholders.models import User


def visible_polls(viewer: User | None) -> QuerySet[Poll]:
    """Polls of the processes the viewer may read."""
    return Poll.objects.filter(
        process__in=deliberation_selectors.visible_processes(viewer)
    ).select_related("process")


def polls_to_vote(user: User, limit: int) -> list[Poll]:
    """Open polls of the open processes the user takes part in where accepted statements still
    await their vote (their own statements aside), newest first, each with `to_vote` (how many);
    one query whatever the number of polls, statements or votes."""
    waiting = (
        Statement.objects.filter(poll=OuterRef("pk"), moderated=Moderation.ACCEPTED)
        .exclude(author__user=user)
        .exclude(Exists(Vote.objects.filter(statement=OuterRef("pk"), participant__user=user)))
        .order_by()
        .annotate(n=Func(F("id"), function="COUNT"))
        .values("n")
    )
    return list(
        Poll.objects.filter(
            status=PollStatus.OPEN,
            process__status=ProcessStatus.OPEN,
            process__archived_at__isnull=True,
            process__participations__user=user,
        )
        .annotate(to_vote=Subquery(waiting))
        .filter(to_vote__gt=0)
        .select_related("process")
        .order_by("-created_at", "-id")[:limit]
    )


def polls_of(process: Process) -> QuerySet[Poll]:
    return (
        Poll.objects.filter(process=process)
        .annotate(statement_count=Count("statements", filter=Q(statements__moderated=1)))
        .order_by("-created_at", "-id")
    )


def poll_get(process: Process, pk: int) -> Poll | None:
    poll = Poll.objects.filter(process=process, pk=pk).first()
    if poll is not None:
        poll.process = process
    return poll


def with_counts(statements: QuerySet[Statement]) -> QuerySet[Statement]:
    """Agrees, disagrees and passes counting every vote row, re-votes included (as Pol.is's
    comments.csv does)."""
    return statements.annotate(
        agrees=Count("votes", filter=Q(votes__value=1)),
        disagrees=Count("votes", filter=Q(votes__value=-1)),
        passes=Count("votes", filter=Q(votes__value=0)),
    )


def statements_of(poll: Poll, *, moderated: int | None = None) -> QuerySet[Statement]:
    statements = Statement.objects.filter(poll=poll)
    if moderated is not None:
        statements = statements.filter(moderated=moderated)
    return with_counts(statements.select_related("author__user")).order_by("created_at", "id")


def participant_of(poll: Poll, user: Any) -> PollParticipant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return PollParticipant.objects.filter(poll=poll, user=user).first()


def next_statement(poll: Poll, participant: PollParticipant | None) -> Statement | None:
    """The oldest accepted statement the participant has not voted on (not their own)."""
    statements = Statement.objects.filter(poll=poll, moderated=Moderation.ACCEPTED)
    if participant is not None:
        voted = Vote.objects.filter(participant=participant, statement=OuterRef("pk"))
        statements = statements.exclude(Exists(voted)).exclude(author=participant)
    return statements.order_by("created_at", "id").first()


def my_votes(participant: PollParticipant | None) -> dict[int, int]:
    """The participant's latest vote per statement id."""
    if participant is None:
        return {}
    latest: dict[int, int] = {}
    for statement, value in Vote.objects.filter(participant=participant).values_list(
        "statement_id", "value"
    ):
        latest[statement] = value
    return latest


@dataclass(frozen=True)
class VoteIds:
    last_vote: int
    users: dict[int, int | None]
    external: dict[int, str]


def vote_data(poll: Poll) -> tuple[VoteData, VoteIds]:
    """Every vote row of the poll in the order cast, as arrays for opinion.compute (three
    queries whatever the number of votes)."""
    participants = list(
        PollParticipant.objects.filter(poll=poll)
        .order_by("id")
        .values_list("id", "user_id", "external_id", "stakeholder_group")
    )
    statements = list(
        Statement.objects.filter(poll=poll)
        .order_by("id")
        .values_list("id", "moderated", "external_id")
    )
    rows = np.array(
        Vote.objects.filter(poll=poll)
        .order_by("id")
        .values_list("id", "participant_id", "statement_id", "value"),
        dtype=np.int64,
    ).reshape(-1, 4)
    participant_ids = np.array([row[0] for row in participants], dtype=np.int64)
    statement_ids = np.array([row[0] for row in statements], dtype=np.int64)
    data = VoteData(
        participants=participant_ids,
        statements=statement_ids,
        rows_participant=np.searchsorted(participant_ids, rows[:, 1]),
        rows_statement=np.searchsorted(statement_ids, rows[:, 2]),
        rows_vote=rows[:, 3],
        stakeholder_groups=tuple(row[3] for row in participants),
        # Imported statements Pol.is left unmoderated (0) were shown to its voters: they count.
        in_map=np.array(
            [row[1] == Moderation.ACCEPTED or (row[1] == 0 and bool(row[2])) for row in statements],
            dtype=bool,
        ),
    )
    ids = VoteIds(
        last_vote=int(rows[:, 0].max()) if len(rows) else 0,
        users={row[0]: row[1] for row in participants},
        external={row[0]: row[2] for row in participants},
    )
    return data, ids


def stale_polls() -> QuerySet[Poll]:
    """Polls whose newest vote or moderation came after their map (or that have none)."""
    newest = Subquery(Vote.objects.filter(poll=OuterRef("pk")).order_by("-id").values("id")[:1])
    return (
        Poll.objects.annotate(
            newest=newest,
            last_seen=F("opinion_map__last_vote"),
            map_at=F("opinion_map__computed_at"),
        )
        .filter(
            Q(map_at__isnull=True, newest__isnull=False)
            | Q(newest__gt=F("last_seen"))
            | Q(changed_at__gt=F("map_at"))
        )
        .select_related("process")
        .order_by("id")
    )


def opinion_map(poll: Poll) -> OpinionMapResult | None:
    return OpinionMapResult.objects.filter(poll=poll).first()


def balance_rows(
    process: Process, *, as_of: Any = None
) -> tuple[list[tuple[int, str, int]], list[tuple[int, str, str, bool | None, int]]]:
    """What a process's polls add to its balance (docs/design.md §4.2): statements counted as
    comments, (author, group, n), and each statement voted on counted once like a ballot,
    (voter, group, region, developing, n). Imported participants have no user and don't count."""
    statements = Statement.objects.filter(
        poll__process=process, author__user__isnull=False
    ).exclude(moderated=Moderation.REJECTED)
    votes = Vote.objects.filter(poll__process=process, participant__user__isnull=False)
    if as_of is not None:
        statements = statements.filter(created_at__lte=as_of)
        votes = votes.filter(cast_at__lte=as_of)
    statement_rows = list(
        statements.values_list("author__user_id", "author__stakeholder_group")
        .annotate(n=Count("id"))
        .order_by()
    )
    vote_rows = list(
        votes.values_list(
            "participant__user_id",
            "participant__stakeholder_group",
            "participant__region",
            "participant__developing",
        )
        .annotate(n=Count("statement", distinct=True))
        .order_by()
    )
    return statement_rows, vote_rows
