"""What feeds and calendars show, gathered from every app through a registry filled in each
AppConfig.ready(): deliberation adds issues and versions, consensus rounds and outcomes, trust
commitments — so this floor never imports the higher ones (docs/design.md §8.8)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class Entry:
    """One item of an Atom feed. `key` is stable (the item's id in the feed)."""

    key: str
    title: str
    link: str
    at: datetime
    description: str = ""
    author: str = ""


@dataclass(frozen=True)
class Event:
    """One calendar event. `uid` is stable, so an update replaces the event in a calendar;
    `start` is a date for an all-day event."""

    uid: str
    summary: str
    start: datetime | date
    end: datetime | date | None
    link: str
    description: str = ""


# (processes: a query of process ids, person or None, limit) → entries / events
EntrySource = Callable[[QuerySet[Any], Any, int], list[Entry]]
EventSource = Callable[[QuerySet[Any], Any], list[Event]]

_entries: dict[str, EntrySource] = {}
_events: dict[str, EventSource] = {}


def register_entries(name: str, source: EntrySource) -> None:
    _entries[name] = source


def register_events(name: str, source: EventSource) -> None:
    _events[name] = source


def entries(processes: QuerySet[Any], person: Any = None, limit: int = 50) -> list[Entry]:
    """The latest `limit` entries of these processes, newest first (one query or two a source)."""
    found = [entry for source in _entries.values() for entry in source(processes, person, limit)]
    return sorted(found, key=lambda e: (e.at, e.key), reverse=True)[:limit]


def events(processes: QuerySet[Any], person: Any = None) -> list[Event]:
    """Every event of these processes (and the person's own, for a personal calendar)."""
    found = [event for source in _events.values() for event in source(processes, person)]
    return sorted(found, key=lambda e: (str(e.start), e.uid))
