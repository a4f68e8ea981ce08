"""The Pol.is open-data CSV format (docs/design.md §7): reading an export folder, checked line by
line, and the rows of an export. No Django: the service turns these into rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

REQUIRED = ("comments.csv", "votes.csv")
OPTIONAL = ("summary.csv", "participants-votes.csv")
COMMENT_COLUMNS = ("comment-id", "author-id", "moderated", "comment-body")
VOTE_COLUMNS = ("timestamp", "comment-id", "voter-id", "vote")


class PolisFormatError(ValueError):
    """A problem in an export folder, naming the file and the line (1 = the header)."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file, self.line = file, line
        where = f"{file}, line {line}" if line else file
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Comment:
    external_id: str
    author: str
    moderated: int
    text: str
    timestamp: int | None


@dataclass(frozen=True)
class VoteRow:
    timestamp: int
    comment: str
    voter: str
    vote: int


@dataclass(frozen=True)
class Conversation:
    topic: str
    description: str
    url: str
    comments: list[Comment]
    votes: list[VoteRow]  # oldest first; a re-vote is a later row


def _rows(files: Mapping[str, str], name: str, columns: Iterable[str]) -> list[tuple[int, dict]]:
    text = files.get(name)
    if text is None:
        raise PolisFormatError(name, None, "the file is missing from the folder")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise PolisFormatError(name, 1, f"the header lacks {', '.join(missing)}")
    # reader.line_num counts physical lines: a quoted body may span several.
    rows = []
    for row in reader:
        rows.append((reader.line_num, row))
    return rows


def _integer(file: str, line: int, column: str, value: str | None) -> int:
    try:
        return int((value or "").strip())
    except ValueError:
        raise PolisFormatError(file, line, f"{column} is not a whole number: {value!r}") from None


def _identifier(file: str, line: int, column: str, value: str | None) -> str:
    return str(_integer(file, line, column, value))


def parse(files: Mapping[str, str]) -> Conversation:
    """The conversation in an export folder given as {file name: text}.

    Raises PolisFormatError naming the file and line of the first problem: a missing file or
    column, an id or vote that is not a number, a vote other than 1, −1 and 0, a comment id in
    votes.csv that comments.csv lacks, a comment id given twice.
    """
    comments: dict[str, Comment] = {}
    for line, row in _rows(files, "comments.csv", COMMENT_COLUMNS):
        comment_id = _identifier("comments.csv", line, "comment-id", row["comment-id"])
        if comment_id in comments:
            raise PolisFormatError("comments.csv", line, f"comment {comment_id} appears twice")
        moderated = _integer("comments.csv", line, "moderated", row["moderated"])
        if moderated not in (-1, 0, 1):
            raise PolisFormatError("comments.csv", line, "moderated must be 1, 0 or -1")
        stamp = (row.get("timestamp") or "").strip()
        comments[comment_id] = Comment(
            external_id=comment_id,
            author=_identifier("comments.csv", line, "author-id", row["author-id"]),
            moderated=moderated,
            text=row["comment-body"] or "",
            timestamp=_integer("comments.csv", line, "timestamp", stamp) if stamp else None,
        )
    votes: list[tuple[int, int, VoteRow]] = []
    for line, row in _rows(files, "votes.csv", VOTE_COLUMNS):
        comment_id = _identifier("votes.csv", line, "comment-id", row["comment-id"])
        if comment_id not in comments:
            raise PolisFormatError("votes.csv", line, f"unknown comment id {comment_id}")
        vote = _integer("votes.csv", line, "vote", row["vote"])
        if vote not in (-1, 0, 1):
            raise PolisFormatError("votes.csv", line, f"a vote is 1, -1 or 0, not {vote}")
        timestamp = _integer("votes.csv", line, "timestamp", row["timestamp"])
        voter = _identifier("votes.csv", line, "voter-id", row["voter-id"])
        votes.append((timestamp, line, VoteRow(timestamp, comment_id, voter, vote)))
    votes.sort(key=lambda item: (item[0], item[1]))
    summary = _summary(files.get("summary.csv", ""))
    return Conversation(
        topic=summary.get("topic", ""),
        description=summary.get("conversation-description", ""),
        url=summary.get("url", ""),
        comments=sorted(comments.values(), key=lambda c: int(c.external_id)),
        votes=[vote for _, _, vote in votes],
    )


def _summary(text: str) -> dict[str, str]:
    return {row[0]: row[1] for row in csv.reader(io.StringIO(text)) if len(row) >= 2}


def polis_datetime(timestamp_ms: int) -> str:
    """Pol.is's human-readable datetime column, in UTC."""
    moment = datetime.fromtimestamp(timestamp_ms / 1000, tz=UTC)
    return moment.strftime("%a %b %d %H:%M:%S UTC %Y")


@dataclass(frozen=True)
class ExportRows:
    """An export, as rows ready for the CSV writer."""

    comments: list[dict[str, object]]
    votes: list[dict[str, object]]
    participants: list[dict[str, object]]
    participant_columns: list[str]
    summary: list[tuple[str, object]]


COMMENTS_HEADER = [
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
]
VOTES_HEADER = ["timestamp", "datetime", "comment-id", "voter-id", "vote"]
PARTICIPANTS_HEADER = ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]
