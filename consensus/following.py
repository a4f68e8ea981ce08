"""Consensus's part of feeds and calendars: rounds opened and closed, outcomes declared; round
deadlines and challenge windows (registered in ConsensusConfig.ready())."""

from typing import Any

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from consensus.models import Outcome, Round, RoundStatus
from deliberation.following.timeline import Entry, Event, register_entries, register_events


def _label(round_: Round) -> str:
    return _("%(proposal)s, version %(number)d") % {
        "proposal": round_.version.proposal.title,
        "number": round_.version.number,
    }


def _rounds(processes: QuerySet[Any]) -> QuerySet[Round]:
    return (
        Round.objects.filter(process__in=processes)
        .exclude(status=RoundStatus.DRAFT)
        .select_related("process", "version__proposal")
    )


def round_entries(processes: QuerySet[Any], person: Any, limit: int) -> list[Entry]:
    opened = _rounds(processes).filter(opens_at__isnull=False).order_by("-opens_at")[:limit]
    closed = _rounds(processes).filter(closed_at__isnull=False).order_by("-closed_at")[:limit]
    found = [
        Entry(
            key=f"round-{r.pk}-opened",
            title=_("Consensus round opened: %(label)s") % {"label": _label(r)},
            link=r.get_absolute_url(),
            at=r.opens_at,
            description=_("Ballots are open until %(deadline)s UTC.")
            % {"deadline": formats.date_format(timezone.localtime(r.closes_at), "DATETIME_FORMAT")},
        )
        for r in opened
        if r.opens_at is not None
    ]
    found += [
        Entry(
            key=f"round-{r.pk}-closed",
            title=_("Consensus round closed: %(label)s") % {"label": _label(r)},
            link=r.get_absolute_url(),
            at=r.closed_at,
        )
        for r in closed
        if r.closed_at is not None
    ]
    return found


def outcome_entries(processes: QuerySet[Any], person: Any, limit: int) -> list[Entry]:
    rows = (
        Outcome.objects.filter(round__process__in=processes, declared_at__isnull=False)
        .select_related("round__process", "round__version__proposal")
        .order_by("-declared_at")[:limit]
    )
    return [
        Entry(
            key=f"outcome-{o.pk}-declared",
            title=_("Outcome declared: %(label)s — %(designation)s")
            % {"label": _label(o.round), "designation": o.declared_designation.replace("_", " ")},
            link=o.round.get_absolute_url(),
            at=o.declared_at,
            description=o.rationale,
        )
        for o in rows
        if o.declared_at is not None
    ]


def deadline_events(processes: QuerySet[Any], person: Any) -> list[Event]:
    found = [
        Event(
            uid=f"round-{r.pk}-deadline",
            summary=_("Deadline: %(label)s") % {"label": _label(r)},
            start=r.closes_at,
            end=None,  # an instant: RFC 5545 wants DTEND after DTSTART, or no DTEND
            link=r.get_absolute_url(),
            description=_("The consensus round on %(label)s closes (%(process)s).")
            % {"label": _label(r), "process": r.process.title},
        )
        for r in _rounds(processes).order_by("closes_at")
    ]
    challenges = (
        Outcome.objects.filter(
            round__process__in=processes, declared_at__isnull=False, challenge_until__isnull=False
        )
        .select_related("round__process", "round__version__proposal")
        .order_by("challenge_until")
    )
    found += [
        Event(
            uid=f"outcome-{o.pk}-challenge",
            summary=_("Challenge window: %(label)s") % {"label": _label(o.round)},
            start=o.declared_at,
            end=o.challenge_until,
            link=o.round.get_absolute_url(),
            description=_("Participants may challenge the declared outcome until it ends."),
        )
        for o in challenges
        if o.declared_at is not None and o.challenge_until is not None
    ]
    return found


def round_event(round_: Round) -> Event:
    """The one event an "add to calendar" link of a round gives: its deadline."""
    return Event(
        uid=f"round-{round_.pk}-deadline",
        summary=_("Deadline: %(label)s") % {"label": _label(round_)},
        start=round_.closes_at,
        end=None,
        link=round_.get_absolute_url(),
    )


def register_sources() -> None:
    register_entries("rounds", round_entries)
    register_entries("outcomes", outcome_entries)
    register_events("rounds", deadline_events)
