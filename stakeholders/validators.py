"""Validators for text that must stay on one line (titles, names): they end up in e-mail subjects,
where a line break is a header injection that the mail library refuses."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LINE_BREAKS = frozenset("\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def single_line(value: str) -> None:
    if any(character in LINE_BREAKS for character in value):
        raise ValidationError(_("Write this on one line."), code="line_break")


def one_line(text: str) -> str:
    """`text` with every run of whitespace, line breaks included, made one space."""
    return " ".join(text.split())
