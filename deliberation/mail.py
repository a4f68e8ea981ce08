"""Replies by e-mail become comments: the threads of deliberation's notifications and their handlers
(registered with stakeholders.inbound in DeliberationConfig.ready; docs/design.md §2.6)."""

import re
from collections.abc import Sequence

from django.conf import settings
from django.db.models import Q
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from deliberation import services
from deliberation.models import Comment, Issue, ProposalVersion
from stakeholders.inbound.registry import Answer, Incoming, Refused, Thread
from stakeholders.models import Notification

COMMENT_FRAGMENT = re.compile(r"comment-(\d+)")


def instructions() -> str:
    return _(
        "Reply to this e-mail to answer in the thread: your reply is posted as your comment,"
        " with the same attribution as on the web."
    )


def threads(notifications: Sequence[Notification]) -> dict[int, Thread]:
    """Notifications about a comment (its reply or mention), an issue, or a proposal version.

    The thread is read from the notification's own address (its URL names the issue, the comment
    or the version), so notifications need no field for it: one query for all the versions.
    """
    found: dict[int, Thread] = {}
    versions: dict[tuple[int, int], list[int]] = {}
    text = instructions()
    for notification in notifications:
        path, _, fragment = notification.url.partition("#")
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.view_name == "deliberation:issue":
            issue_id = int(match.kwargs["pk"])
            comment = COMMENT_FRAGMENT.fullmatch(fragment)
            found[notification.pk] = (
                Thread("comment", int(comment.group(1)), issue_id, text)
                if comment
                else Thread("issue", issue_id, issue_id, text)
            )
        elif match.view_name == "deliberation:proposal_version":
            key = (int(match.kwargs["pk"]), int(match.kwargs["number"]))
            versions.setdefault(key, []).append(notification.pk)
    if versions:
        condition = Q()
        for proposal_id, number in versions:
            condition |= Q(proposal_id=proposal_id, number=number)
        for pk, proposal_id, number, issue_id in ProposalVersion.objects.filter(
            condition
        ).values_list("pk", "proposal_id", "number", "proposal__issue_id"):
            for notification_id in versions[(proposal_id, number)]:
                found[notification_id] = Thread("version", pk, issue_id, text)
    return found


def _may_comment(incoming: Incoming, issue: Issue) -> None:
    """The web's rule for commenting (`deliberation.add_comment`), with the web's reasons."""
    if incoming.user.has_perm("deliberation.add_comment", issue):
        return
    link = f"{settings.SITE_URL}{issue.get_absolute_url()}"
    if not issue.process.is_open or issue.status != "open":
        raise Refused(
            _("“%(title)s” no longer takes comments, so your reply was not posted. %(link)s")
            % {"title": issue.title, "link": link}
        )
    raise Refused(
        _(
            "Only members of the process can comment on “%(title)s”. Join the process on the web,"
            " then reply again: %(link)s"
        )
        % {"title": issue.title, "link": link}
    )


def _posted(incoming: Incoming, comment: Comment) -> Answer:
    return Answer(summary=_("Posted as comment %d.") % comment.pk)


def reply_to_comment(incoming: Incoming) -> Answer:
    """A reply to a notification about a comment is posted as a reply to that comment."""
    parent = (
        Comment.objects.select_related("issue__process", "version").filter(pk=incoming.target_id)
    ).first()
    if parent is None:
        raise Refused(_("The comment you replied to no longer exists."))
    _may_comment(incoming, parent.issue)
    comment = services.comment_create(
        actor=incoming.user, issue=parent.issue, body=incoming.text, parent=parent
    )
    return _posted(incoming, comment)


def reply_to_issue(incoming: Incoming) -> Answer:
    """A reply to a notification about an issue is a new comment on it."""
    issue = Issue.objects.select_related("process").filter(pk=incoming.target_id).first()
    if issue is None:
        raise Refused(_("The issue you replied to no longer exists."))
    _may_comment(incoming, issue)
    comment = services.comment_create(actor=incoming.user, issue=issue, body=incoming.text)
    return _posted(incoming, comment)


def reply_to_version(incoming: Incoming) -> Answer:
    """A reply to a new version's notification is a comment on that version."""
    version = (
        ProposalVersion.objects.select_related("proposal__issue__process")
        .filter(pk=incoming.target_id)
        .first()
    )
    if version is None:
        raise Refused(_("The proposal version you replied to no longer exists."))
    issue = version.proposal.issue
    _may_comment(incoming, issue)
    comment = services.comment_create(
        actor=incoming.user, issue=issue, body=incoming.text, version=version
    )
    return _posted(incoming, comment)


def connect() -> None:
    from stakeholders.inbound import registry

    registry.register_threads(threads)
    registry.register_handler("comment", reply_to_comment)
    registry.register_handler("issue", reply_to_issue)
    registry.register_handler("version", reply_to_version)
