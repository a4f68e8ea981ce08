"""Reads of deliberation, each with the related rows it needs fetched up front."""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from deliberation import page_reads
from deliberation.models import (
    SEARCH_CONFIG,
    Comment,
    CommentRevision,
    Issue,
    Participation,
    Process,
    Proposal,
    ProposalVersion,
    Resource,
    Visibility,
)
from stakeholders.models import User
from stakeholders.rules import is_admin, mfa_satisfied


def visible_processes(user: AbstractBaseUser | AnonymousUser | None) -> QuerySet[Process]:
    """Processes the user may read: the one selector for `deliberation.view_process`.

    Public ones, those they take part in, those they facilitate and, for admins, all of them —
    the last two only with two-factor authentication where it is required (`mfa_satisfied`).
    """
    processes = Process.objects.all()
    if user is None or not user.is_authenticated:
        return processes.filter(visibility=Visibility.PUBLIC)
    if is_admin(user):
        return processes
    visible = Q(visibility=Visibility.PUBLIC) | Q(
        Exists(Participation.objects.filter(process=OuterRef("pk"), user_id=user.pk))
    )
    if mfa_satisfied(user):
        facilitated = Process.facilitators.through.objects.filter(
            process_id=OuterRef("pk"), user_id=user.pk
        )
        visible |= Q(Exists(facilitated))
    return processes.filter(visible)


def may_read(user: AbstractBaseUser | AnonymousUser | None, process: Process) -> bool:
    """Whether `user` may read `process` (`visible_processes`, for one process and one user)."""
    if process.visibility == Visibility.PUBLIC:
        return True
    return visible_processes(user).filter(pk=process.pk).exists()


def process_list(user: User | None) -> QuerySet[Process]:
    return (
        visible_processes(user)
        .filter(archived_at__isnull=True)
        .annotate(
            issue_count=Count("issues", distinct=True),
            participant_count=Count("participations", distinct=True),
        )
        .order_by("-created_at", "id")
    )


# Every page of a process loads it by slug; written by hand because building this query with
# the ORM (two subqueries) costs several times what PostgreSQL takes to answer it.
_PROCESS_BY_SLUG = """
    SELECT p.*,
        ARRAY(SELECT f.user_id FROM deliberation_process_facilitators f
              WHERE f.process_id = p.id) AS facilitator_id_list,
        EXISTS(SELECT 1 FROM deliberation_participation pp
               WHERE pp.process_id = p.id AND pp.user_id = %(viewer)s) AS viewer_participates
    FROM deliberation_process p WHERE p.slug = %(slug)s
"""


def process_get(slug: str, user: User | None) -> Process | None:
    """The process, or None when it does not exist for this user (the rule of
    `visible_processes`, checked on the row) — in one query that also brings its facilitators'
    ids and whether the viewer takes part, which every page of the process asks
    (Process.facilitator_ids, deliberation.rules.participates)."""
    signed_in = user is not None and user.is_authenticated
    viewer = user.pk if user is not None and signed_in else None
    process = next(
        iter(Process.objects.raw(_PROCESS_BY_SLUG, {"slug": slug, "viewer": viewer})), None
    )
    if process is None:
        return None
    if viewer is None:
        return process if process.visibility == Visibility.PUBLIC else None
    assert user is not None
    participates = bool(process.viewer_participates)  # type: ignore[attr-defined]
    process.remember_participant(viewer, participates)
    visible = (
        process.visibility == Visibility.PUBLIC
        or participates
        or is_admin(user)
        or (viewer in process.facilitator_ids and mfa_satisfied(user))
    )
    return process if visible else None


def process_issues(process: Process) -> QuerySet[Issue]:
    """A process's issues, newest first, each with its numbers of comments and proposals
    (counted per issue shown, not over a join of every comment with every proposal)."""
    return (
        Issue.objects.filter(process=process)
        .annotate(
            comment_count=RawSQL(
                "SELECT count(*) FROM deliberation_comment c"
                " WHERE c.issue_id = deliberation_issue.id",
                [],
            ),
            proposal_count=RawSQL(
                "SELECT count(*) FROM deliberation_proposal p"
                " WHERE p.issue_id = deliberation_issue.id",
                [],
            ),
        )
        .order_by("-created_at", "-id")
    )


_COMMENT_RELATED = ("author", "affiliation", "version", "issue__process")


# Threads (a top comment with all its replies) on one page of an issue's discussion.
THREADS_PER_PAGE = 20


def comment_addresses(comments: list[Comment]) -> dict[int, str]:
    """Where each comment lives: its issue's page of threads that holds its thread, at the
    comment's anchor — in one query, however many comments.

    Before: each comment's `issue.process` is loaded. After: `{comment id: address}`; a thread on
    the first page has no `?page=`.
    """
    if not comments:
        return {}
    roots = {c.pk: c.thread_root_id or c.pk for c in comments}
    earlier = (
        Comment.objects.filter(issue_id=OuterRef("issue_id"), parent__isnull=True)
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("issue_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    before = dict(
        Comment.objects.filter(pk__in=set(roots.values()))
        .annotate(before=Coalesce(Subquery(earlier), 0))
        .values_list("pk", "before")
    )
    addresses = {}
    for comment in comments:
        page = before.get(roots[comment.pk], 0) // THREADS_PER_PAGE + 1
        query = f"?page={page}" if page > 1 else ""
        addresses[comment.pk] = f"{comment.issue.get_absolute_url()}{query}#comment-{comment.pk}"
    return addresses


def thread_roots(issue: Issue, *, version: ProposalVersion | None = None) -> QuerySet[Comment]:
    """Top comments of an issue (or of one version), oldest first — the unit of paging."""
    roots = Comment.objects.filter(issue=issue, parent__isnull=True)
    if version is not None:
        roots = roots.filter(version=version)
    return roots.order_by("created_at", "id")


@dataclass
class ThreadNode:
    comment: Comment
    replies: list["ThreadNode"]


def threads(roots: list[Comment], issue: Issue | None = None) -> list[ThreadNode]:
    """The given top comments with all their replies, nested, in two queries whatever the depth.

    Each comment brings what the discussion shows (its author's name fields, its hat's group, its
    version's number); with `issue` given, the comments hang on it instead of reading it again.
    """
    if not roots:
        return []
    if issue is not None:
        rows = page_reads.thread_comments([r.pk for r in roots], issue)
    else:
        rows = list(
            Comment.objects.filter(issue_id=roots[0].issue_id)
            .filter(Q(pk__in=[r.pk for r in roots]) | Q(thread_root__in=roots))
            .annotate(
                revision_count=Coalesce(
                    Subquery(
                        CommentRevision.objects.filter(comment=OuterRef("pk"))
                        .order_by()
                        .values("comment")
                        .annotate(n=Count("pk"))
                        .values("n")
                    ),
                    0,
                )
            )
            .select_related(*_COMMENT_RELATED)
            .order_by("created_at", "id")
        )
    nodes = {c.pk: ThreadNode(c, []) for c in rows}
    top = []
    for comment in rows:
        if comment.parent_id is None:
            top.append(nodes[comment.pk])
        elif comment.parent_id in nodes:
            nodes[comment.parent_id].replies.append(nodes[comment.pk])
    return top


def comment_get(pk: int) -> Comment | None:
    return (
        Comment.objects.filter(pk=pk)
        .select_related(*_COMMENT_RELATED)
        .prefetch_related("revisions", "issue__process__facilitators")
        .first()
    )


def proposal_get(process: Process, pk: int) -> Proposal | None:
    return (
        Proposal.objects.filter(issue__process=process, pk=pk)
        .select_related("issue__process", "created_by")
        .prefetch_related(Prefetch("versions", queryset=ProposalVersion.objects.order_by("number")))
        .first()
    )


def resources(
    *, language: str = "", region: str = "", topic: str = "", kind: str = ""
) -> QuerySet[Resource]:
    found = Resource.objects.all()
    if language:
        found = found.filter(languages__contains=[language])
    if region:
        found = found.filter(Q(regions__contains=[region]) | Q(regions=[]))
    if topic:
        found = found.filter(topics__contains=[topic])
    if kind:
        found = found.filter(kind=kind)
    return found.order_by("kind", "title")


def resource_topics() -> list[str]:
    topics: set[str] = set()
    for row in Resource.objects.values_list("topics", flat=True):
        topics.update(row)
    return sorted(topics)


@dataclass(frozen=True)
class SearchHit:
    kind: str
    title: str
    excerpt: str
    url: str
    rank: float


def search(query: str, user: User | None, *, limit: int = 30) -> list[SearchHit]:
    """Full-text search over issues, comments and proposal versions the user may read."""
    if not query.strip():
        return []
    terms = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    processes = visible_processes(user).values("pk")
    issues = (
        Issue.objects.annotate(document=SearchVector("title", "body", config=SEARCH_CONFIG))
        .filter(document=terms, process__in=processes)
        .annotate(rank=SearchRank(SearchVector("title", "body", config=SEARCH_CONFIG), terms))
        .select_related("process")
        .order_by("-rank")[:limit]
    )
    comments = (
        Comment.objects.annotate(document=SearchVector("body", config=SEARCH_CONFIG))
        .filter(document=terms, issue__process__in=processes, state="visible")
        .annotate(rank=SearchRank(SearchVector("body", config=SEARCH_CONFIG), terms))
        .select_related("issue__process")
        .order_by("-rank")[:limit]
    )
    versions = (
        ProposalVersion.objects.annotate(
            document=SearchVector("text", "plain_summary", config=SEARCH_CONFIG)
        )
        .filter(document=terms, proposal__issue__process__in=processes)
        .annotate(
            rank=SearchRank(SearchVector("text", "plain_summary", config=SEARCH_CONFIG), terms)
        )
        .select_related("proposal__issue__process")
        .order_by("-rank")[:limit]
    )
    hits = [
        *(SearchHit("issue", i.title, i.body[:240], i.get_absolute_url(), i.rank) for i in issues),
        *(
            SearchHit(
                "comment",
                c.issue.title,
                c.body[:240],
                f"{c.issue.get_absolute_url()}#comment-{c.pk}",
                c.rank,
            )
            for c in comments
        ),
        *(
            SearchHit(
                "proposal",
                f"{v.proposal.title} (v{v.number})",
                (v.plain_summary or v.text)[:240],
                v.get_absolute_url(),
                v.rank,
            )
            for v in versions
        ),
    ]
    return sorted(hits, key=lambda hit: hit.rank, reverse=True)[:limit]
