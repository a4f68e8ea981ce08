"""Dates read the same way to everyone: each language's own order, the month in words, the ISO form
in `<time datetime>` for machines (web/templatetags/dates.py, config/formats/)."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import formats, translation

MOMENT = datetime(2026, 12, 3, 15, 4, tzinfo=UTC)
DAY = date(2026, 3, 12)


def _render(source: str, language: str, **values: object) -> str:
    with translation.override(language):
        return Template("{% load dates %}" + source).render(Context(values))


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "3 December 2026, 15:04"),
        ("fr", "3 décembre 2026 à 15:04"),
        ("es", "3 de diciembre de 2026, 15:04"),
        ("ar", "3 ديسمبر 2026، 15:04"),
    ],
)
def test_a_moment_in_each_language(language: str, shown: str) -> None:
    assert _render("{{ m|when }}", language, m=MOMENT) == (
        f'<bdi><time datetime="2026-12-03T15:04:00+00:00">{shown}</time></bdi>'
    )


@pytest.mark.parametrize(
    ("language", "long", "short"),
    [
        ("en", "12 March 2026", "12 Mar 2026"),
        ("fr", "12 mars 2026", "12 mars 2026"),
        ("es", "12 de marzo de 2026", "12 mar. 2026"),
        ("ar", "12 مارس 2026", "12 مارس 2026"),
    ],
)
def test_a_day_puts_the_day_first_and_names_the_month(language: str, long: str, short: str) -> None:
    shown = _render('{{ d|when:"DATE_FORMAT" }}|{{ d|when:"SHORT_DATE_FORMAT" }}', language, d=DAY)
    assert shown == (
        f'<bdi><time datetime="2026-03-12">{long}</time></bdi>|'
        f'<bdi><time datetime="2026-03-12">{short}</time></bdi>'
    )


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_no_language_writes_a_day_in_figures(language: str) -> None:
    """The US order ("12/03/2026") and any all-figures form, which readers take either way round."""
    with translation.override(language):
        for name in ("DATE", "DATETIME", "SHORT_DATE", "SHORT_DATETIME"):
            shown = formats.date_format(MOMENT, f"{name}_FORMAT")
            assert "12/" not in shown and "/12" not in shown and "03" not in shown, (name, shown)
            assert shown.startswith("3"), (name, shown)


def test_no_moment_shows_nothing() -> None:
    assert _render("[{{ m|when }}]", "en", m=None) == "[]"
