"""The ISO 3166-1 country table with each country's UN regional group and M49 development status."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "countries.csv"

REGIONS: tuple[str, ...] = (
    "africa",
    "asia_pacific",
    "eastern_europe",
    "latin_america_caribbean",
    "western_europe_others",
)


@dataclass(frozen=True, slots=True)
class Country:
    """One row of the table: ISO alpha-2 code, English short name, UN regional group, flags."""

    code: str
    name: str
    region: str
    developing: bool
    un_member: bool = False


def _flag(value: str, *, column: str, code: str) -> bool:
    if value not in {"0", "1"}:
        msg = f"countries.csv: {column} for {code} must be 0 or 1, got {value!r}"
        raise ValueError(msg)
    return value == "1"


@cache
def _table() -> dict[str, Country]:
    """Read the CSV once; after this, every row is a Country keyed by its upper-case code.

    Raises ValueError on a malformed row, so a bad edit to the data fails loudly at first use.
    """
    table: dict[str, Country] = {}
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["code"].strip().upper()
            if len(code) != 2 or not code.isalpha() or code in table:
                msg = f"countries.csv: bad or duplicate code {code!r}"
                raise ValueError(msg)
            region = row["region"].strip()
            if region not in REGIONS:
                msg = f"countries.csv: unknown region {region!r} for {code}"
                raise ValueError(msg)
            table[code] = Country(
                code=code,
                name=row["name"].strip(),
                region=region,
                developing=_flag(row["developing"].strip(), column="developing", code=code),
                un_member=_flag(row["un_member"].strip(), column="un_member", code=code),
            )
    return table


@cache
def all_countries() -> tuple[Country, ...]:
    """Every country and territory, sorted by English name (then code, for a stable order)."""
    return tuple(sorted(_table().values(), key=lambda c: (c.name.casefold(), c.code)))


def get_country(code: str) -> Country | None:
    """The country for an ISO alpha-2 code in any letter case, or None if the code is unknown."""
    return _table().get(code.strip().upper())


def region_of(code: str) -> str | None:
    """The UN regional group of a country code (one of REGIONS), or None if the code is unknown."""
    country = get_country(code)
    return country.region if country else None


def is_developing(code: str) -> bool | None:
    """Whether M49 counts the country among developing economies; None if the code is unknown."""
    country = get_country(code)
    return country.developing if country else None
