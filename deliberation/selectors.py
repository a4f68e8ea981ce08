"""Reads of deliberation, each with the related rows it needs fetched up front."""

from dataclasses import dataclass
from functools import lru_cache

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.text import slugify

from deliberation.models import (
    SEARCH_CONFIG,
    Comment,
    GlossaryTerm,
    Issue,
    Participation,
    Process,
    Proposal,
    ProposalVersion,
    Resource,
    Visibility,
)
from deliberation.rendering import Glossary, glossary_from
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


def process_get(slug: str, user: User | None) -> Process | None:
    """The process with its facilitators, or None when it does not exist for this user."""
    return visible_processes(user).filter(slug=slug).prefetch_related("facilitators").first()


def participation_of(process: Process, user: User | None) -> Participation | None:
    if user is None or not user.is_authenticated:
        return None
    return (
        Participation.objects.filter(process=process, user=user)
        .select_related("affiliation")
        .first()
    )


def process_issues(process: Process) -> QuerySet[Issue]:
    return (
        Issue.objects.filter(process=process)
        .annotate(
            comment_count=Count("comments", distinct=True),
            proposal_count=Count("proposals", distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def issue_get(process: Process, pk: int) -> Issue | None:
    return Issue.objects.filter(process=process, pk=pk).select_related("process").first()


_COMMENT_RELATED = ("author", "affiliation", "version", "issue__process")


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


def threads(roots: list[Comment]) -> list[ThreadNode]:
    """The given top comments with all their replies, nested, in two queries whatever the depth."""
    if not roots:
        return []
    comments = list(
        Comment.objects.filter(issue_id=roots[0].issue_id)
        .filter(Q(pk__in=[r.pk for r in roots]) | Q(thread_root__in=roots))
        .select_related(*_COMMENT_RELATED)
        .annotate(revision_count=Count("revisions"))
        .order_by("created_at", "id")
    )
    nodes = {c.pk: ThreadNode(c, []) for c in comments}
    top = []
    for comment in comments:
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


def issue_proposals(issue: Issue) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(issue=issue)
        .annotate(version_count=Count("versions"), latest_number=Max("versions__number"))
        .order_by("-created_at", "-id")
    )


def proposal_get(process: Process, pk: int) -> Proposal | None:
    return (
        Proposal.objects.filter(issue__process=process, pk=pk)
        .select_related("issue__process", "created_by")
        .prefetch_related(Prefetch("versions", queryset=ProposalVersion.objects.order_by("number")))
        .first()
    )


def latest_version(proposal: Proposal) -> ProposalVersion | None:
    versions = list(proposal.versions.all())
    return versions[-1] if versions else None


def glossary_terms() -> QuerySet[GlossaryTerm]:
    return GlossaryTerm.objects.order_by("term")


@lru_cache(maxsize=16)
def _compiled_glossary(language: str, version: tuple[int, object]) -> Glossary:
    rows = [
        (slugify(t.term), t.term, list(t.aliases), t.definition(language))
        for t in GlossaryTerm.objects.order_by("term")
    ]
    return glossary_from(rows, url=reverse("deliberation:glossary"))


def glossary(language: str) -> Glossary:
    """The compiled glossary for a language; rebuilt only when a term changed (one cheap query)."""
    stamp = GlossaryTerm.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return _compiled_glossary(language, (stamp["n"], stamp["last"]))


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
