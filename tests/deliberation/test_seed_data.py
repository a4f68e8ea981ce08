"""Checks of the shipped glossary and resource-library seed data (no database)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from stakeholders.countries import REGIONS

DATA_DIR = Path(__file__).resolve().parents[2] / "deliberation" / "data"
LANGUAGES = ("en", "fr", "es", "ar")
KINDS = {"guide", "tool", "fellowship", "funding"}

REQUIRED_TERMS = (
    "ccTLD",
    "gTLD",
    "IANA",
    "ICANN",
    "IETF",
    "IGF",
    "RIR",
    "IXP",
    "WSIS",
    "MAG",
    "rough consensus",
    "multistakeholder",
    "DNS",
    "root zone",
    "registry",
    "registrar",
    "RFC",
    "BGP",
    "IPv6",
    "NRO",
    "GAC",
    "GNSO",
    "ccNSO",
    "ALAC",
    "SSAC",
    "PDP",
    "policy development process",
    "Internet Society",
    "ISOC",
    "W3C",
    "ITU",
    "NetMundial",
    "net neutrality",
    "open standard",
    "interoperability",
    "digital divide",
    "capacity building",
    "best practice forum",
    "BPF",
    "dynamic coalition",
    "working group",
    "charter",
    "stakeholder group",
    "facilitator",
    "objection",
    "consensus call",
    "hum",
    "Sybil account",
    "statement of interest",
)

# A sentence ends at . ! or ? followed by a space and a capital letter, or at the end of the text;
# this skips the dots inside ".com" or "example.org".
SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z]|\s*$)")


def _load(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def glossary() -> list[dict[str, Any]]:
    data = _load("glossary.json")
    assert isinstance(data, list)
    return data


@pytest.fixture(scope="module")
def resources() -> list[dict[str, Any]]:
    data = _load("resources.json")
    assert isinstance(data, list)
    return data


def test_glossary_has_enough_terms(glossary: list[dict[str, Any]]) -> None:
    assert len(glossary) >= 45


def test_glossary_entries_are_well_formed(glossary: list[dict[str, Any]]) -> None:
    for entry in glossary:
        assert set(entry) == {"term", "aliases", "definitions"}, entry
        assert isinstance(entry["term"], str)
        assert entry["term"].strip() == entry["term"] != ""
        assert isinstance(entry["aliases"], list)
        assert all(isinstance(a, str) and a.strip() == a != "" for a in entry["aliases"])
        assert set(entry["definitions"]) == set(LANGUAGES), entry["term"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_definition_is_present_and_short(
    glossary: list[dict[str, Any]], language: str
) -> None:
    for entry in glossary:
        text = entry["definitions"][language]
        assert isinstance(text, str)
        assert text.strip(), f"{entry['term']} has no {language} definition"
        assert len(text) <= 600, f"{entry['term']} ({language}) is too long for a tooltip"


def test_english_definitions_are_one_to_three_sentences(glossary: list[dict[str, Any]]) -> None:
    for entry in glossary:
        sentences = len(SENTENCE_END.findall(entry["definitions"]["en"]))
        assert 1 <= sentences <= 3, (entry["term"], sentences)


def test_arabic_definitions_are_in_arabic_script(glossary: list[dict[str, Any]]) -> None:
    for entry in glossary:
        assert re.search(r"[\u0600-\u06ff]", entry["definitions"]["ar"]), entry["term"]


def test_terms_and_aliases_are_unique_case_insensitively(glossary: list[dict[str, Any]]) -> None:
    seen: dict[str, str] = {}
    for entry in glossary:
        for name in (entry["term"], *entry["aliases"]):
            key = name.casefold()
            assert key not in seen, f"{name!r} of {entry['term']!r} clashes with {seen[key]!r}"
            seen[key] = entry["term"]


def test_required_terms_are_present(glossary: list[dict[str, Any]]) -> None:
    known = {name.casefold() for entry in glossary for name in (entry["term"], *entry["aliases"])}
    missing = [term for term in REQUIRED_TERMS if term.casefold() not in known]
    assert not missing


def test_resource_library_has_enough_entries(resources: list[dict[str, Any]]) -> None:
    assert len(resources) >= 20
    assert {r["kind"] for r in resources} == KINDS


def test_resources_are_well_formed(resources: list[dict[str, Any]]) -> None:
    fields = {"title", "url", "kind", "summary", "languages", "regions", "topics"}
    for resource in resources:
        assert set(resource) == fields, resource
        assert resource["title"].strip()
        assert resource["summary"].strip()
        assert resource["kind"] in KINDS, resource["title"]
        url = urlparse(resource["url"])
        assert url.scheme in {"http", "https"}, resource["url"]
        assert url.netloc, resource["url"]
        assert resource["languages"], resource["title"]
        assert all(re.fullmatch(r"[a-z]{2,3}", code) for code in resource["languages"])
        assert isinstance(resource["regions"], list)
        assert set(resource["regions"]) <= set(REGIONS), resource["title"]
        assert resource["topics"], resource["title"]
        assert all(isinstance(t, str) and t.strip() for t in resource["topics"])


def test_resources_are_not_duplicated(resources: list[dict[str, Any]]) -> None:
    urls = [r["url"] for r in resources]
    titles = [r["title"].casefold() for r in resources]
    assert len(urls) == len(set(urls))
    assert len(titles) == len(set(titles))
