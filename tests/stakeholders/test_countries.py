"""Tests of the shipped country table and its pure lookup module (no database)."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from stakeholders.countries import (
    DATA_FILE,
    REGIONS,
    Country,
    all_countries,
    get_country,
    is_developing,
    region_of,
)


def test_regions_are_the_five_un_groups_in_order() -> None:
    assert REGIONS == (
        "africa",
        "asia_pacific",
        "eastern_europe",
        "latin_america_caribbean",
        "western_europe_others",
    )


def test_csv_has_every_iso_code_once() -> None:
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["code", "name", "region", "developing", "un_member"]
        codes = [row["code"] for row in reader]
    assert len(codes) == 249
    assert len(set(codes)) == 249
    assert all(len(code) == 2 and code.isupper() for code in codes)
    assert "XK" not in codes  # Kosovo has no ISO 3166-1 code


def test_all_countries_is_complete_and_sorted_by_name() -> None:
    countries = all_countries()
    assert len(countries) == 249
    assert all(isinstance(c, Country) for c in countries)
    names = [c.name.casefold() for c in countries]
    assert names == sorted(names)
    assert all(c.name for c in countries)
    assert all(c.region in REGIONS for c in countries)


def test_country_is_frozen() -> None:
    kenya = get_country("KE")
    assert kenya is not None
    with pytest.raises(AttributeError):
        kenya.region = "asia_pacific"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("code", "region", "developing"),
    [
        ("KE", "africa", True),
        ("DE", "western_europe_others", False),
        ("BR", "latin_america_caribbean", True),
        ("PL", "eastern_europe", False),
        ("JP", "asia_pacific", False),
        ("US", "western_europe_others", False),
        ("IN", "asia_pacific", True),
        ("IL", "western_europe_others", False),
        ("TR", "western_europe_others", True),
        ("KI", "asia_pacific", True),
        ("PR", "latin_america_caribbean", True),
        ("GL", "western_europe_others", False),
        ("HK", "asia_pacific", True),
        ("TW", "asia_pacific", True),
        ("MO", "asia_pacific", True),
        ("PS", "asia_pacific", True),
        ("CY", "asia_pacific", False),
        ("RU", "eastern_europe", False),
        ("ZA", "africa", True),
    ],
)
def test_spot_checks(code: str, region: str, developing: bool) -> None:
    assert region_of(code) == region
    assert is_developing(code) is developing
    country = get_country(code)
    assert country is not None
    assert country.code == code


def test_lookup_is_case_insensitive() -> None:
    assert get_country("ke") == get_country("KE")
    assert get_country("Br") == get_country("BR")
    assert region_of("de") == "western_europe_others"
    assert is_developing("in") is True


@pytest.mark.parametrize("code", ["XK", "ZZ", "", "USA", "1A"])
def test_unknown_code_is_none(code: str) -> None:
    assert get_country(code) is None
    assert region_of(code) is None
    assert is_developing(code) is None


def test_un_member_states_fall_in_plausible_group_sizes() -> None:
    members = [c for c in all_countries() if c.un_member]
    assert len(members) == 193
    sizes = Counter(c.region for c in members)
    assert sizes["africa"] == 54
    assert 53 <= sizes["asia_pacific"] <= 55
    assert sizes["eastern_europe"] == 23
    assert sizes["latin_america_caribbean"] == 33
    assert 28 <= sizes["western_europe_others"] <= 29


@pytest.mark.parametrize("code", ["VA", "PS", "TW", "CK", "NU", "EH", "PR", "GL", "HK", "AQ"])
def test_non_members_and_territories_are_not_un_members(code: str) -> None:
    country = get_country(code)
    assert country is not None
    assert country.un_member is False


def test_developed_economies_follow_m49() -> None:
    developed = {c.code for c in all_countries() if not c.developing}
    # Europe, Northern America, Australia/New Zealand, Japan, Israel and Cyprus (plus Antarctica,
    # which M49 does not classify; see stakeholders/data/README.md).
    assert {"DE", "FR", "UA", "CA", "US", "AU", "NZ", "JP", "IL", "CY", "BM"} <= developed
    assert not {"KR", "SG", "CN", "MX", "TR", "AE", "CL", "QA"} & developed
    assert len(developed) == 66
