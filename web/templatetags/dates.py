"""`{{ moment|when }}`: a date or time in the active language's format, inside `<time datetime>`."""

from datetime import date, datetime

from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


def machine_form(value: date) -> str:
    """ISO 8601 as the `datetime` attribute takes it: a date, or a date and time to the second
    with its offset (HTML allows at most three decimals, so none are given)."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


@register.filter(expects_localtime=True)
def when(value: date | None, name: str = "DATETIME_FORMAT") -> SafeString | str:
    """The moment as people of the active language read it (config/formats/), isolated from the
    surrounding text's direction, with the ISO 8601 form for machines; "" for no moment.

    `name` is one of Django's named formats: DATETIME_FORMAT (the default), DATE_FORMAT,
    SHORT_DATETIME_FORMAT, SHORT_DATE_FORMAT, TIME_FORMAT.
    """
    if not isinstance(value, date):
        return ""
    return format_html(
        '<bdi><time datetime="{}">{}</time></bdi>',
        machine_form(value),
        formats.date_format(value, name),
    )
