"""CSV exports never hand a spreadsheet a formula: text starting with =, +, -, @ is neutralised,
and every export goes through the one writer that does it."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.test import Client

from consensus import services
from tests.consensus.conftest import Scene
from web.spreadsheets import neutralised

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "=1+2"]


def test_ballot_and_objection_exports_neutralise_formulas(scene: Scene) -> None:
    round_ = scene.open_round()
    for n, text in enumerate(FORMULAS):
        services.ballot_cast(
            actor=scene.person("academia", n), round_=round_, position="object", rationale=text
        )
    client = Client()
    base = f"/processes/{scene.process.slug}/rounds/{round_.pk}/export/"
    for table, column in (("ballots", "rationale"), ("objections", "text")):
        text = client.get(f"{base}{table}.csv").content.decode()
        cells = {row[column] for row in csv.DictReader(io.StringIO(text))}
        assert cells == {"'" + formula for formula in FORMULAS}, table


def test_numbers_and_plain_text_are_left_alone() -> None:
    assert [neutralised(v) for v in (-1, 0.5, "plain", "a=b", None)] == [
        -1,
        0.5,
        "plain",
        "a=b",
        None,
    ]


APPS = ("config", "web", "record", "stakeholders", "deliberation", "consensus", "trust")


def test_every_csv_writer_is_the_neutralising_one() -> None:
    writers = [
        path.relative_to(ROOT).as_posix()
        for folder in (
            "config",
            "web",
            "record",
            "stakeholders",
            "deliberation",
            "consensus",
            "trust",
        )
        for path in (ROOT / folder).rglob("*.py")
        if re.search(r"csv\.(writer|DictWriter)\(", path.read_text())
    ]
    assert writers == ["web/spreadsheets.py"]
