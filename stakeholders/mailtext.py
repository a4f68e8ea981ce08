"""What every e-mail says around its message: the site's name in subject, greeting and signature."""

from datetime import UTC, datetime

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stakeholders.validators import one_line


def site_name() -> str:
    """The name people know the site by (SITE_NAME), never the address of the server."""
    return str(settings.SITE_NAME)


def subject(text: str) -> str:
    """`[Site] text` on one line: a line break in a subject is refused by the mailer."""
    return one_line(f"[{site_name()}] {text}")


def greeting() -> str:
    return _("Hello from %(site)s,") % {"site": site_name()}


def signature() -> str:
    """The last lines of every e-mail, after the conventional "-- " separator."""
    return "-- \n" + _("%(site)s — deliberation on an equal footing, seeking rough consensus.") % {
        "site": site_name()
    }


def deadline_words(when: datetime) -> str:
    """A deadline written out in the active language, with its weekday, in UTC and saying so:
    "Thursday 10 December 2026, 17:00 UTC" (people read it in many time zones; the site keeps
    UTC). The date and time are in the language's own order (config/formats/)."""
    utc = when.astimezone(UTC)
    return _("%(weekday)s %(moment)s UTC") % {
        "weekday": date_format(utc, "l"),
        "moment": date_format(utc, "DATETIME_FORMAT"),
    }


def letter(body: str) -> str:
    """A plain-text e-mail body between the greeting and the signature."""
    return f"{greeting()}\n\n{body.strip()}\n\n{signature()}\n"
