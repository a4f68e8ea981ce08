"""The interface speaks English, French, Spanish and Arabic (right to left), fully translated."""

from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def _entries(po: Path) -> list[tuple[str, list[str]]]:
    """(msgid, [msgstr, …]) for every entry, joining continued lines (a small reader of the
    gettext format; the `polib` package would do the same)."""
    entries: list[tuple[str, list[str]]] = []
    msgid, current = "", None
    msgstrs: list[str] = []
    for line in [*po.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("msgid "):
            if current is not None:
                entries.append((msgid, msgstrs))
            msgid, msgstrs, current = line[6:].strip('"'), [], "msgid"
        elif line.startswith(("msgstr ", "msgstr[")):
            msgstrs.append(line.split(" ", 1)[1].strip('"'))
            current = "msgstr"
        elif line.startswith('"') and current == "msgid":
            msgid += line.strip('"')
        elif line.startswith('"') and current == "msgstr":
            msgstrs[-1] += line.strip('"')
    if current is not None:
        entries.append((msgid, msgstrs))
    return entries


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_every_catalogue_is_complete(language: str) -> None:
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    assert po.exists()
    text = po.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    missing = [msgid for msgid, msgstrs in _entries(po) if msgid and not all(msgstrs)]
    assert missing == []


@pytest.mark.parametrize(
    ("language", "word"), [("fr", "Processus"), ("es", "Procesos"), ("ar", "العمليات")]
)
def test_translations_are_compiled_and_used(language: str, word: str) -> None:
    with translation.override(language):
        assert translation.gettext("Processes") == word


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "direction"), [("fr", "ltr"), ("es", "ltr"), ("ar", "rtl")])
def test_pages_follow_the_browser_language(client: Client, language: str, direction: str) -> None:
    html = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    with translation.override(language):
        assert translation.gettext("Skip to main content") in html
