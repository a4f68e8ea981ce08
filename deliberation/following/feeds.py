"""Atom feeds (django.contrib.syndication): per process, per issue (comments), site-wide, and a
person's own behind a secret token. Public feeds show public processes only, to anyone; people
who chose to be shown by group only appear by group and region, as on the pages."""

from abc import ABC, abstractmethod
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from deliberation.following.timeline import Entry, entries
from deliberation.models import Comment, CommentState, Issue, Process, Visibility
from deliberation.rendering import render_markdown
from stakeholders.models import User
from stakeholders.presentation import public_name
from stakeholders.subscriptions.services import user_for_feed_key

LIMIT = 50


def public_processes() -> QuerySet[Process]:
    return Process.objects.filter(visibility=Visibility.PUBLIC)


def public_process(slug: str) -> Process:
    process = public_processes().filter(slug=slug).first()
    if process is None:
        raise Http404
    return process


def followed_processes(user: User) -> QuerySet[Any]:
    """The ids of the processes a person takes part in or facilitates."""
    return (
        Process.objects.filter(Q(participations__user=user) | Q(facilitators=user))
        .values("pk")
        .distinct()
    )


def person_for_key(key: str) -> User:
    user = user_for_feed_key(key)
    if user is None:
        raise Http404
    return user


class TimelineFeed(Feed[Entry, Any], ABC):
    """Entries of the timeline registry; subclasses say whose."""

    feed_type = Atom1Feed
    author_name = "Footing"  # Atom wants an author for every entry; the feed's stands for all

    def items(self, obj: Any) -> list[Entry]:
        return entries(self.processes(obj), self.person(obj), LIMIT)

    @abstractmethod
    def processes(self, obj: Any) -> QuerySet[Any]:
        """The processes whose entries the feed lists (every concrete feed names them)."""

    def person(self, obj: Any) -> User | None:
        return None

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_description(self, item: Entry) -> str:
        # Descriptions are user text: rendered and sanitised as on the pages (nh3), never raw.
        return str(render_markdown(item.description))

    def item_guid(self, item: Entry) -> str:
        return f"tag:{settings.SITE_URL.split('://')[-1]},2026:{item.key}"

    def item_guid_is_permalink(self, item: Entry) -> bool:
        return False

    def item_pubdate(self, item: Entry) -> Any:
        return item.at

    def item_updateddate(self, item: Entry) -> Any:
        return item.at

    def item_author_name(self, item: Entry) -> str | None:
        return item.author or None


class ProcessFeed(TimelineFeed):
    """New issues, proposal versions, rounds opened and closed, outcomes declared."""

    def get_object(self, request: HttpRequest, slug: str) -> Process:
        return public_process(slug)

    def processes(self, obj: Process) -> QuerySet[Any]:
        return Process.objects.filter(pk=obj.pk).values("pk")

    def title(self, obj: Process) -> str:
        return _("%(process)s · Footing") % {"process": obj.title}

    def link(self, obj: Process) -> str:
        return obj.get_absolute_url()

    def subtitle(self, obj: Process) -> str:
        return _("New issues, proposal versions, consensus rounds and outcomes.")


class SiteFeed(TimelineFeed):
    title = _("Footing: every public process")
    subtitle = _("New issues, proposal versions, consensus rounds and outcomes.")

    def link(self) -> str:
        return reverse("deliberation:processes")

    def processes(self, obj: Any) -> QuerySet[Any]:
        return public_processes().values("pk")


class PersonalFeed(TimelineFeed):
    """The processes a person takes part in or facilitates (members-only ones too: the address
    is the person's secret)."""

    def get_object(self, request: HttpRequest, key: str) -> User:
        return person_for_key(key)

    def processes(self, obj: User) -> QuerySet[Any]:
        return followed_processes(obj)

    def person(self, obj: User) -> User:
        return obj

    def title(self, obj: User) -> str:
        return _("Footing: my processes")

    def link(self, obj: User) -> str:
        return reverse("deliberation:processes")


class IssueFeed(Feed[Comment, Issue]):
    """The comments of an issue of a public process, newest first."""

    feed_type = Atom1Feed
    author_name = "Footing"

    def get_object(self, request: HttpRequest, slug: str, pk: int) -> Issue:
        issue = Issue.objects.filter(process__in=public_processes(), pk=pk, process__slug=slug)
        found = issue.select_related("process").first()
        if found is None:
            raise Http404
        return found

    def title(self, obj: Issue) -> str:
        return _("Comments on %(issue)s · Footing") % {"issue": obj.title}

    def link(self, obj: Issue) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Issue) -> list[Comment]:
        self.issue = obj
        return list(
            Comment.objects.filter(issue=obj, state=CommentState.VISIBLE)
            .select_related("author", "affiliation")
            .order_by("-created_at", "-id")[:LIMIT]
        )

    def item_title(self, item: Comment) -> str:
        return _("%(author)s on %(issue)s") % {
            "author": self.item_author_name(item),
            "issue": self.issue.title,
        }

    def item_link(self, item: Comment) -> str:
        return f"{self.issue.get_absolute_url()}#comment-{item.pk}"

    def item_description(self, item: Comment) -> str:
        return str(render_markdown(item.body))

    def item_author_name(self, item: Comment) -> str:
        return str(
            public_name(
                item.author,
                viewer=None,
                group=item.affiliation.stakeholder_group,
                attribution=item.attribution,
            )
        )

    def item_pubdate(self, item: Comment) -> Any:
        return item.created_at

    def item_updateddate(self, item: Comment) -> Any:
        return item.edited_at or item.created_at
