"""Deliberation's sections of the open-data bundle (issues, comments, proposals, versions) and
the process's audit events, shown as the public record shows them to a reader of the process."""

from collections.abc import Iterator
from typing import Any

from django.db.models import Max

from deliberation.models import Comment, CommentState, Issue, Proposal, ProposalVersion
from deliberation.opendata.registry import Row, Section, register
from record.models import AuditEvent
from stakeholders.models import Attribution, User
from stakeholders.presentation import public_name

CHUNK = 1000
# What naming a comment's author needs (presentation.public_name): the user row is wide.
COMMENT_COLUMNS = (
    *("id", "issue_id", "version_id", "parent_id", "body", "state", "attribution"),
    *("created_at", "edited_at", "author__id", "author__display_name", "author__attribution"),
    *("author__country", "affiliation__id", "affiliation__stakeholder_group"),
)


def when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def person(user: User, group: str | None, attribution: str | None = None) -> tuple[str, int | None]:
    """(name, id) as the public sees them: a group-only person by group and region, no id."""
    chosen = attribution or user.attribution
    name = str(public_name(user, viewer=None, group=group, attribution=chosen))
    return name, (user.pk if chosen == Attribution.NAMED else None)


def _issues(process: Any) -> Iterator[Row]:
    for issue in Issue.objects.filter(process=process).order_by("id").iterator(CHUNK):
        yield {
            "id": issue.pk,
            "title": issue.title,
            "body": issue.body,
            "status": issue.status,
            "created_at": when(issue.created_at),
        }


def _comments(process: Any) -> Iterator[Row]:
    rows = (
        Comment.objects.filter(issue__process=process)
        .select_related("author", "affiliation")
        .only(*COMMENT_COLUMNS)
        .order_by("id")
    )
    for comment in rows.iterator(CHUNK):
        group = comment.affiliation.stakeholder_group
        name, author_id = person(comment.author, group, comment.attribution)
        visible = comment.state == CommentState.VISIBLE
        yield {
            "id": comment.pk,
            "issue": comment.issue_id,
            "version": comment.version_id,
            "parent": comment.parent_id,
            "author": name,
            "author_id": author_id,
            "stakeholder_group": group,
            "body": comment.body if visible else "",
            "state": comment.state,
            "created_at": when(comment.created_at),
            "edited_at": when(comment.edited_at),
        }


def _proposals(process: Any) -> Iterator[Row]:
    rows = Proposal.objects.filter(issue__process=process).order_by("id")
    for proposal in rows.iterator(CHUNK):
        yield {
            "id": proposal.pk,
            "issue": proposal.issue_id,
            "title": proposal.title,
            "created_at": when(proposal.created_at),
        }


def _versions(process: Any) -> Iterator[Row]:
    rows = ProposalVersion.objects.filter(proposal__issue__process=process).order_by("id")
    for version in rows.iterator(CHUNK):
        yield {
            "id": version.pk,
            "proposal": version.proposal_id,
            "number": version.number,
            "text": version.text,
            "change_summary": version.change_summary,
            "plain_summary": version.plain_summary,
            "created_at": when(version.created_at),
        }


def _audit(process: Any) -> Iterator[Row]:
    """Every event of the process; who and what are withheld where the record page would withhold
    them from a reader of the process (a group-only person, a round shown by group)."""
    events = AuditEvent.objects.filter(process=process.pk).order_by("seq")
    group_only: set[int] = set()
    batch: list[AuditEvent] = []

    def flush() -> Iterator[Row]:
        named = {p for event in batch for p in event.people} - group_only
        group_only.update(
            User.objects.filter(pk__in=named, attribution=Attribution.GROUP_ONLY).values_list(
                "pk", flat=True
            )
        )
        for event in batch:
            hidden = (event.veiled and event.people) or any(p in group_only for p in event.people)
            yield {
                "seq": event.seq,
                "at": when(event.at),
                "actor": None if hidden or not event.public else event.actor,
                "action": event.action if event.public else "redacted",
                "object": "" if hidden or not event.public else event.object,
                "data": None if hidden or not event.public else event.data,
                "prev_hash": event.prev_hash,
                "hash": event.hash,
            }
        batch.clear()

    for event in events.iterator(CHUNK):
        batch.append(event)
        if len(batch) == CHUNK:
            yield from flush()
    yield from flush()


def _max(model: Any, field: str, **lookup: Any) -> Any:
    return model.objects.filter(**lookup).aggregate(m=Max(field))["m"]


def register_sections() -> None:
    register(
        Section(
            name="issues",
            description="The issues of the process.",
            fields={
                "id": "issue id",
                "title": "title",
                "body": "framing text (markdown)",
                "status": "open or closed",
                "created_at": "when it was opened (ISO 8601, UTC)",
            },
            rows=_issues,
            stamp=lambda p: _max(Issue, "id", process=p),
            order=10,
        )
    )
    register(
        Section(
            name="comments",
            description="Every comment; a group-only author is named by group and region only.",
            fields={
                "id": "comment id",
                "issue": "issue id",
                "version": "proposal version id when the comment is on a version, else null",
                "parent": "id of the comment replied to, or null",
                "author": "display name, or 'A … participant from …' for a group-only author",
                "author_id": "user id when the author is named, else null",
                "stakeholder_group": "stakeholder group of the hat worn",
                "body": "markdown; empty when hidden by moderation",
                "state": "visible or hidden",
                "created_at": "ISO 8601, UTC",
                "edited_at": "last edit, or null",
            },
            rows=_comments,
            stamp=lambda p: (
                _max(Comment, "id", issue__process=p),
                str(_max(Comment, "edited_at", issue__process=p)),
            ),
            order=20,
        )
    )
    register(
        Section(
            name="proposals",
            description="Proposals; their text is in proposal_versions.",
            fields={
                "id": "proposal id",
                "issue": "issue id",
                "title": "title",
                "created_at": "ISO 8601, UTC",
            },
            rows=_proposals,
            stamp=lambda p: _max(Proposal, "id", issue__process=p),
            order=30,
        )
    )
    register(
        Section(
            name="proposal_versions",
            description="Every version of every proposal (versions are never changed).",
            fields={
                "id": "version id",
                "proposal": "proposal id",
                "number": "1, 2, …",
                "text": "full text (markdown)",
                "change_summary": "what changed from the previous version",
                "plain_summary": "plain-language summary",
                "created_at": "ISO 8601, UTC",
            },
            rows=_versions,
            stamp=lambda p: _max(ProposalVersion, "id", proposal__issue__process=p),
            order=40,
        )
    )
    register(
        Section(
            name="audit_events",
            description="The process's events of the hash-chained public record (docs/design.md "
            "§8); each hash covers seq, at, actor, action, object and data.",
            fields={
                "seq": "position in the platform-wide chain",
                "at": "ISO 8601, UTC",
                "actor": "user id of who acted, or null when withheld",
                "action": "what happened (e.g. round.opened)",
                "object": "what changed, 'app.model:id', or empty when withheld",
                "data": "details (JSON), or null when withheld",
                "prev_hash": "hash of the previous event in the chain",
                "hash": "sha256(prev_hash + canonical JSON of the event)",
            },
            rows=_audit,
            stamp=lambda p: _max(AuditEvent, "seq", process=p.pk),
            order=900,
        )
    )
