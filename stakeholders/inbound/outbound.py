"""What notification e-mails carry for replies and threading: a reply address per person and
thread (Reply-To), a Message-ID, and In-Reply-To/References to one root per issue."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings

from stakeholders.inbound import registry, tokens
from stakeholders.inbound.parsing import REPLY_ABOVE
from stakeholders.models import Notification


@dataclass(frozen=True)
class MailExtras:
    """Headers, Reply-To and text around the body for one notification's e-mail."""

    headers: dict[str, str] = field(default_factory=dict)
    reply_to: tuple[str, ...] = ()
    before: str = ""
    after: str = ""


def message_id(notification: Notification) -> str:
    return f"<notification-{notification.pk}@{settings.INBOUND_EMAIL_DOMAIN}>"


def thread_root(issue_id: int) -> str:
    """The stable id every e-mail about an issue refers to, so that mail clients show one thread
    per issue (RFC 5322 §3.6.4: the root need not have been sent)."""
    return f"<issue-{issue_id}@{settings.INBOUND_EMAIL_DOMAIN}>"


def mail_extras(notifications: Sequence[Notification]) -> dict[int, MailExtras]:
    """The extras of each notification (by id), in a constant number of queries per batch."""
    threads = registry.threads(notifications)
    replies = tokens.reply_tokens(
        (n.user_id, thread.purpose, thread.target_id)
        for n in notifications
        if (thread := threads.get(n.pk)) is not None
    )
    extras = {}
    for notification in notifications:
        headers = {"Message-ID": message_id(notification)}
        thread = threads.get(notification.pk)
        if thread is None:
            extras[notification.pk] = MailExtras(headers=headers)
            continue
        if thread.issue_id is not None:
            root = thread_root(thread.issue_id)
            headers["In-Reply-To"] = root
            headers["References"] = root
        token = replies[(notification.user_id, thread.purpose, thread.target_id)]
        extras[notification.pk] = MailExtras(
            headers=headers,
            reply_to=(tokens.address(token),),
            before=REPLY_ABOVE,
            after=thread.instructions,
        )
    return extras
