"""Deliberation's feed entries: new issues and new proposal versions."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from deliberation.following.timeline import Entry, register_entries
from deliberation.models import Issue, ProposalVersion


def _issues(processes: QuerySet[Any], person: Any, limit: int) -> list[Entry]:
    rows = Issue.objects.filter(process__in=processes).select_related("process")
    return [
        Entry(
            key=f"issue-{issue.pk}",
            title=_("New issue in %(process)s: %(title)s")
            % {"process": issue.process.title, "title": issue.title},
            link=issue.get_absolute_url(),
            at=issue.created_at,
            description=issue.body[:1000],
        )
        for issue in rows.order_by("-created_at", "-id")[:limit]
    ]


def _versions(processes: QuerySet[Any], person: Any, limit: int) -> list[Entry]:
    rows = ProposalVersion.objects.filter(proposal__issue__process__in=processes).select_related(
        "proposal__issue__process"
    )
    return [
        Entry(
            key=f"version-{version.pk}",
            title=_("%(proposal)s: version %(number)d")
            % {"proposal": version.proposal.title, "number": version.number},
            link=version.get_absolute_url(),
            at=version.created_at,
            description=version.change_summary or version.plain_summary or version.text[:1000],
        )
        for version in rows.order_by("-created_at", "-id")[:limit]
    ]


def register_sources() -> None:
    register_entries("issues", _issues)
    register_entries("versions", _versions)
