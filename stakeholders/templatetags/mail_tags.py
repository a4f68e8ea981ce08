"""Template tags of e-mails and inboxes: the site's name, and deadlines written out in full."""

from datetime import datetime

from django import template

from stakeholders import mailtext

register = template.Library()


@register.simple_tag
def site_name() -> str:
    """`{% site_name %}`: the name people know the site by, never the server's address."""
    return mailtext.site_name()


@register.filter
def deadline(when: datetime | None) -> str:
    """`{{ notification.deadline|deadline }}`: "Thursday 10 December 2026, 17:00 UTC" in the
    active language."""
    return mailtext.deadline_words(when) if when else ""
