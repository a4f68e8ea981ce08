"""Pol.is open data in and out: a poll imported from an export folder, and a poll's export."""

from collections import Counter, defaultdict
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from consensus.polls import polis
from consensus.polls.models import Poll, PollParticipant, PollStatus, Statement, Vote
from deliberation.models import Process
from record.services import audit_append
from stakeholders.models import User
from web.spreadsheets import csv_lines, csv_text

BATCH = 5000


def _moment(timestamp_ms: int | None) -> datetime:
    if timestamp_ms is None:
        return timezone.now()
    return datetime.fromtimestamp(timestamp_ms / 1000, tz=UTC)


@transaction.atomic
def poll_import(*, actor: User, process: Process, files: dict[str, str]) -> Poll:
    """A new poll holding a Pol.is conversation: its statements (ids kept as `external_id`,
    moderation kept), pseudonymous participants keyed by their Pol.is id, and every vote row
    in the order cast.

    Before: `files` maps file names to their text. After: all of it or nothing (one
    transaction); a format problem raises polis.PolisFormatError naming the file and line.
    """
    conversation = polis.parse(files)
    poll = Poll.objects.create(
        process=process,
        title=(conversation.topic or "Imported Pol.is conversation")[:300],
        description=conversation.description,
        source_url=conversation.url[:200] if conversation.url.startswith("http") else "",
        created_by=actor,
        status=PollStatus.CLOSED,
    )
    people = sorted(
        {c.author for c in conversation.comments} | {v.voter for v in conversation.votes},
        key=int,
    )
    participants = {
        p.external_id: p
        for p in PollParticipant.objects.bulk_create(
            [PollParticipant(poll=poll, external_id=person) for person in people],
            batch_size=BATCH,
        )
    }
    statements = {
        s.external_id: s
        for s in Statement.objects.bulk_create(
            [
                Statement(
                    poll=poll,
                    external_id=c.external_id,
                    text=c.text[:1000],
                    author=participants[c.author],
                    moderated=c.moderated,
                    created_at=_moment(c.timestamp),
                )
                for c in conversation.comments
            ],
            batch_size=BATCH,
        )
    }
    Vote.objects.bulk_create(
        (
            Vote(
                poll=poll,
                statement=statements[v.comment],
                participant=participants[v.voter],
                value=v.vote,
                cast_at=_moment(v.timestamp),
            )
            for v in conversation.votes
        ),
        batch_size=BATCH,
    )
    audit_append(
        actor=actor,
        action="poll.import",
        obj=poll,
        process=process.pk,
        data={
            "statements": len(statements),
            "participants": len(participants),
            "votes": len(conversation.votes),
        },
    )
    return poll


def _stamp(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def export_files(poll: Poll) -> dict[str, str]:
    """The poll as a Pol.is export: {file name: CSV text}.

    comments.csv counts every vote row (re-votes included); participants-votes.csv holds each
    participant's latest vote; statement and participant ids are the Pol.is ones where the poll
    was imported, else Footing's own.
    """
    people = {
        pk: external or str(pk)
        for pk, external in PollParticipant.objects.filter(poll=poll).values_list(
            "id", "external_id"
        )
    }
    statements = list(
        Statement.objects.filter(poll=poll)
        .order_by("-created_at", "-id")
        .values_list("id", "external_id", "author_id", "moderated", "text", "created_at")
    )
    sid = {row[0]: row[1] or str(row[0]) for row in statements}
    rows = list(
        Vote.objects.filter(poll=poll)
        .order_by("id")
        .values_list("statement_id", "participant_id", "value", "cast_at")
    )
    every: Counter[tuple[int, int]] = Counter((s, v) for s, _p, v, _t in rows)
    latest: dict[int, dict[int, int]] = defaultdict(dict)
    for statement, person, value, _t in rows:
        latest[person][statement] = value
    authored = Counter(row[2] for row in statements if row[2] is not None)
    groups = _map_groups(poll)

    comments = [
        {
            "timestamp": _stamp(created),
            "datetime": polis.polis_datetime(_stamp(created)),
            "comment-id": sid[pk],
            "author-id": people.get(author, "") if author else "",
            "agrees": every[(pk, 1)],
            "disagrees": every[(pk, -1)],
            "moderated": moderated,
            "comment-body": text,
        }
        for pk, _ext, author, moderated, text, created in statements
    ]
    votes = [
        {
            "timestamp": _stamp(cast_at),
            "datetime": polis.polis_datetime(_stamp(cast_at)),
            "comment-id": sid[statement],
            "voter-id": people[person],
            "vote": value,
        }
        for statement, person, value, cast_at in rows
    ]
    columns = sorted(
        sid,
        key=lambda pk: (not sid[pk].isdigit(), int(sid[pk]) if sid[pk].isdigit() else 0, sid[pk]),
    )
    participants = []
    for person in sorted(latest, key=lambda pk: (len(people[pk]), people[pk])):
        mine = latest[person]
        row: dict[str, object] = {
            "participant": people[person],
            "group-id": groups.get(person, ""),
            "n-comments": authored[person],
            "n-votes": len(mine),
            "n-agree": sum(1 for v in mine.values() if v == 1),
            "n-disagree": sum(1 for v in mine.values() if v == -1),
        }
        row.update({sid[pk]: mine.get(pk, "") for pk in columns})
        participants.append(row)
    summary = [
        ("topic", poll.title),
        ("url", poll.source_url or poll.get_absolute_url()),
        ("views", ""),
        ("voters", len(latest)),
        ("voters-in-conv", len(latest)),
        ("commenters", len(authored)),
        ("comments", len(statements)),
        ("groups", len(set(groups.values()))),
        ("conversation-description", poll.description),
    ]
    return {
        "comments.csv": csv_text(comments, polis.COMMENTS_HEADER),
        "votes.csv": csv_text(votes, polis.VOTES_HEADER),
        "participants-votes.csv": csv_text(
            participants, polis.PARTICIPANTS_HEADER + [sid[pk] for pk in columns]
        ),
        "summary.csv": csv_lines(summary),
    }


def _map_groups(poll: Poll) -> dict[int, int]:
    stored = getattr(poll, "opinion_map", None) if hasattr(poll, "opinion_map") else None
    if stored is None:
        return {}
    return {p["id"]: p["group"] for p in stored.figures.get("participants", [])}
