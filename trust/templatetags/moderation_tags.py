"""Template tags of moderation: a signal's evidence as readable nested lists."""

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def _scalar(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float):
        return number_format(value, 4)
    return str(value)


def _render(value: Any) -> SafeString:
    if isinstance(value, dict):
        return format_html(
            '<dl class="evidence">{}</dl>',
            format_html_join(
                "", "<dt>{}</dt><dd>{}</dd>", ((k, _render(v)) for k, v in value.items())
            ),
        )
    if isinstance(value, list):
        if not value:
            return format_html("{}", "—")
        if any(isinstance(item, dict | list) for item in value):
            return format_html(
                "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((_render(i),) for i in value))
            )
        return format_html("{}", ", ".join(_scalar(item) for item in value))
    return format_html("{}", _scalar(value))


@register.filter
def evidence(value: Any) -> SafeString:
    """`{{ signal.evidence|evidence }}`: every figure behind a signal, escaped, keys as terms."""
    return _render(value)
