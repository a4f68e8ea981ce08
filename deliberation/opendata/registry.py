"""The sections of an open-data bundle, registered by each app in its AppConfig.ready().

The registry lives on the floor that knows processes (deliberation); higher floors (consensus:
rounds, ballots, outcomes; later polls) register their own sections, so this floor never imports
them (docs/design.md §8.8).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

Row = dict[str, Any]


@dataclass(frozen=True)
class Section:
    """One kind of row in the bundle: `<name>.json`, `<name>.csv` and its part of schema.json.

    `fields` maps each column to a one-line description (the documented schema); `rows(process)`
    yields the rows in a fixed order, a bounded number of queries whatever their number (it
    streams: `.iterator(chunk_size=…)`); `stamp(process)` returns a value that changes whenever
    the rows change, read in one query — the bundle is rebuilt when any section's stamp moves.
    """

    name: str
    description: str
    fields: dict[str, str]
    rows: Callable[[Any], Iterator[Row]]
    stamp: Callable[[Any], Any]
    order: int = 100


_sections: dict[str, Section] = {}


def register(section: Section) -> None:
    """Add (or replace, when an app is reloaded) a section."""
    _sections[section.name] = section


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.name))
