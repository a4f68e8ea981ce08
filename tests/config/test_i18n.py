"""The interface speaks English, French, Spanish and Arabic (right to left), fully translated:
every string of the code is in each catalogue, translated, with its plural forms."""

import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import translation

from tests.factories import CommitmentFactory

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale"
LANGUAGES = ("fr", "es", "ar")
# What makemessages reads (web/management/commands/makemessages.py leaves out the rest).
SOURCES = ("config", "web", "record", "stakeholders", "deliberation", "consensus", "trust")


def _entries(po: Path) -> list[tuple[str, list[str]]]:
    """(msgid, [msgstr, …]) for every live entry (obsolete `#~` ones left out), joining continued
    lines (a small reader of the gettext format; the `polib` package would do the same)."""
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
        elif line.startswith("msgid_plural "):
            current = "msgid_plural"
    if current is not None:
        entries.append((msgid, msgstrs))
    return entries


def _problems(po: Path) -> list[str]:
    """The msgids of the catalogue that are untranslated (in any plural form) or fuzzy."""
    text = po.read_text(encoding="utf-8")
    fuzzy = re.findall(r'^#, .*fuzzy.*\n(?:#\|.*\n)*msgid "(.*)"', text, re.MULTILINE)
    empty = [msgid for msgid, msgstrs in _entries(po) if msgid and not all(msgstrs)]
    return [*(f"fuzzy: {msgid}" for msgid in fuzzy), *(f"untranslated: {m}" for m in empty)]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """locale/ as `make messages-update` would leave it now: the code's strings extracted afresh
    and merged into a copy of the catalogues, with the code copied beside them (makemessages
    writes work files next to the templates it reads); the repository is not touched."""
    copy = tmp_path_factory.mktemp("messages")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    for name in (*SOURCES, "templates", "locale"):
        shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    here = Path.cwd()
    os.chdir(copy)
    try:
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command("makemessages", locale=list(LANGUAGES), keep_pot=True, verbosity=0)
    finally:
        os.chdir(here)
    return copy / "locale"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalogue_is_complete(language: str) -> None:
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    assert po.exists()
    assert _problems(po) == []


def test_every_string_of_the_code_is_translated(extracted: Path) -> None:
    """A string added to the code and not yet translated (or changed, so that its translation
    turned fuzzy) fails here: run `make messages-update` and translate it (README)."""
    found = {
        language: _problems(extracted / language / "LC_MESSAGES" / "django.po")
        for language in LANGUAGES
    }
    assert found == {language: [] for language in LANGUAGES}


def test_the_extraction_reads_the_code_and_keeps_the_plural_rules(extracted: Path) -> None:
    """Not vacuous: the fresh template holds strings of templates and of Python, and each merged
    catalogue keeps its language's plural rule (Arabic's six forms)."""
    pot = (extracted / "django.pot").read_text(encoding="utf-8")
    assert 'msgid "Skip to main content"' in pot  # templates/base.html
    assert 'msgid_plural "%(n)d reply addresses were revoked."' in pot  # a view's ngettext
    plural_rule = re.compile(r'^"Plural-Forms: .*$', re.MULTILINE)
    for language in LANGUAGES:
        merged = (extracted / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
        mine = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
        assert plural_rule.findall(merged) == plural_rule.findall(mine) != []


HAND_MADE_PLURAL = re.compile(r"[A-Za-z]\((?:s|es)\)|\|pluralize")


def test_no_hand_made_plurals() -> None:
    """Counted words go through ngettext or {% blocktranslate count %}, which know that Arabic has
    six forms; "ballot(s)" and `|pluralize` know only English."""
    files = [
        *(ROOT / "templates").rglob("*.html"),
        *(ROOT / "templates").rglob("*.txt"),
        *(path for name in SOURCES for path in (ROOT / name).rglob("*.py")),
    ]
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if HAND_MADE_PLURAL.search(line)
    ]
    assert found == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_makes_its_own_plural(language: str) -> None:
    """No "bulletin(s)" or "voto(s)": the plural forms of the catalogue say it properly."""
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    found = [
        msgid
        for msgid, msgstrs in _entries(po)
        if any(re.search(r"\w\((?:s|es|x)\)", msgstr) for msgstr in msgstrs)
    ]
    assert found == []


# A count followed by a word in the dual ("2 صوتان"): the dual already says "two".
NUMBER_BEFORE_DUAL = re.compile(r"%\(\w+\)[sd]\s+\S*(?:ان|ين)(?:\s|$|[.,:;،؛)])")


def test_arabic_duals_carry_no_number() -> None:
    po = LOCALE / "ar" / "LC_MESSAGES" / "django.po"
    entries = [(msgid, msgstrs) for msgid, msgstrs in _entries(po) if len(msgstrs) > 1]
    assert entries, "the Arabic catalogue has plural entries"
    assert all(len(msgstrs) == 6 for _msgid, msgstrs in entries)
    wrong = [msgid for msgid, msgstrs in entries if NUMBER_BEFORE_DUAL.search(msgstrs[2])]
    assert wrong == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "12 March 2026"), ("fr", "12 mars 2026"), ("ar", "12 مارس 2026")],
)
def test_pages_show_dates_the_readers_way(client: Client, language: str, shown: str) -> None:
    commitment = CommitmentFactory.create(due_on=date(2026, 3, 12))
    page = client.get(f"/commitments/{commitment.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert f'<time datetime="2026-03-12">{shown}</time>' in page.content.decode()


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
