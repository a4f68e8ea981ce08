"""Balance and participation support: measure, store snapshots, decide support requests."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consensus.balance import selectors as balance_selectors
from consensus.balance.compute import (
    SUPPRESSED,
    CategoryCount,
    dimension_balance,
)
from consensus.balance.text import DIMENSIONS, GENDER_FLOOR, alert_message
from consensus.models import (
    BalanceSnapshot,
    Round,
    SnapshotTrigger,
)
from deliberation.models import Process
from stakeholders import countries
from stakeholders.models import Funding, User
from web.errors import StateConflict

# --- measuring ------------------------------------------------------------------------------


class _Tally:
    """Contributions and distinct people per category of one dimension."""

    def __init__(self) -> None:
        self.contributions: dict[str, int] = defaultdict(int)
        self.people: dict[str, set[int]] = defaultdict(set)

    def add(self, category: str, person: int, n: int) -> None:
        self.contributions[category] += n
        self.people[category].add(person)

    def counts(self) -> dict[str, CategoryCount]:
        return {
            category: CategoryCount(contributions=n, participants=len(self.people[category]))
            for category, n in self.contributions.items()
        }


def category_counts(data: balance_selectors.BalanceInput) -> dict[str, dict[str, CategoryCount]]:
    """Fold the per-person rows into counts per category of every dimension.

    Before: every person named in the rows is in ``data.people``. After: for each dimension of
    ``DIMENSIONS``, contributions summed per category and participants counted once per category
    (a person who spoke under two hats counts in both groups). A comment counts for the group of
    the hat worn, a ballot for the group, region and economy copied when it was cast, a version
    for its author's primary hat; gender counts only people who described it.
    """
    tallies = {dimension: _Tally() for dimension in DIMENSIONS}

    def add(person: int, group: str, region: str, development: str, n: int) -> None:
        facts = data.people[person]
        tallies["stakeholder_group"].add(group, person, n)
        tallies["region"].add(region, person, n)
        tallies["development"].add(development, person, n)
        tallies["funding"].add(facts.funding, person, n)
        tallies["newcomer"].add("returning" if facts.returning else "newcomer", person, n)
        if facts.gender:
            tallies["gender"].add(facts.gender, person, n)

    for person, group, n in data.comments:
        facts = data.people[person]
        add(person, group, facts.region, facts.development, n)
    for person, group, region, developing, n in data.ballots:
        economy = "unknown" if developing is None else "developing" if developing else "developed"
        add(person, group, region or "unknown", economy, n)
    for person, n in data.versions:
        facts = data.people[person]
        add(person, facts.group, facts.region, facts.development, n)
    return {dimension: tally.counts() for dimension, tally in tallies.items()}


def expected_categories(process: Process) -> dict[str, list[str]]:
    """The categories each dimension expects; gender expects none (only observed ones count)."""
    return {
        "stakeholder_group": list(process.expected_groups),
        "region": list(countries.REGIONS),
        "development": ["developing", "developed"],
        "funding": list(Funding.values),
        "newcomer": ["newcomer", "returning"],
        "gender": [],
    }


def dimensions_figures(
    counts: Mapping[str, Mapping[str, CategoryCount]], expected: Mapping[str, list[str]]
) -> dict[str, Any]:
    """The docs/design.md §11 shape of every dimension, alerts worded in the active language.

    After: ``{dimension: {index, categories: {category: {contributions, participants, share,
    ratio}}, alerts: [{kind, category, message}]}}``; gender has the 5-person floor of
    docs/design.md §2,
    its index is None while every category is under the floor (all in one bucket), and the
    bucket raises no alert.
    """
    figures: dict[str, Any] = {}
    for dimension in DIMENSIONS:
        result = dimension_balance(
            counts.get(dimension, {}),
            expected=expected.get(dimension, []),
            min_people=GENDER_FLOOR if dimension == "gender" else 0,
        )
        categories = {
            category: {
                "contributions": value.contributions,
                "participants": value.participants,
                "share": value.share,
                "ratio": value.ratio,
            }
            for category, value in result.categories.items()
        }
        # A floored dimension whose every category is hidden in the one bucket says nothing
        # about spread; its index of 1 (one category) would read as "perfectly even".
        hidden = bool(categories) and set(categories) == {SUPPRESSED}
        figures[dimension] = {
            "index": None if hidden else result.index,
            "categories": categories,
            "alerts": [
                {
                    "kind": str(alert.kind),
                    "category": alert.category,
                    "message": alert_message(dimension, alert.kind, alert.category, categories),
                }
                for alert in result.alerts
                # The bucket mixes whoever is under the floor: its share says nothing to act on.
                if alert.category != SUPPRESSED
            ],
        }
    return figures


@dataclass(frozen=True)
class BalanceFigures:
    """A process's balance: from a stored snapshot, or computed now (``snapshot`` is None)."""

    computed_at: datetime
    dimensions: dict[str, Any]
    totals: dict[str, int]
    snapshot: BalanceSnapshot | None = None


def balance_figures(process: Process, *, as_of: datetime | None = None) -> BalanceFigures:
    """Measure a process now (or as of a moment) without storing anything.

    Runs the four queries of ``balance_selectors.balance_input`` whatever the number of
    contributions, then the pure computation of docs/design.md §4.
    """
    data = balance_selectors.balance_input(process, as_of=as_of)
    totals = {
        "comments": sum(row[-1] for row in data.comments),
        "ballots": sum(row[-1] for row in data.ballots),
        "versions": sum(row[-1] for row in data.versions),
        "participants": len(data.people),
    }
    totals["contributions"] = totals["comments"] + totals["ballots"] + totals["versions"]
    return BalanceFigures(
        computed_at=as_of or timezone.now(),
        dimensions=dimensions_figures(category_counts(data), expected_categories(process)),
        totals=totals,
    )


def current_balance(process: Process) -> BalanceFigures:
    """The latest stored snapshot of a process, or figures computed now when it has none yet."""
    snapshot = balance_selectors.latest_snapshot(process)
    if snapshot is None:
        return balance_figures(process)
    return BalanceFigures(
        computed_at=snapshot.computed_at,
        dimensions=snapshot.dimensions,
        totals=snapshot.totals,
        snapshot=snapshot,
    )


def _same_figures(snapshot: BalanceSnapshot, figures: BalanceFigures) -> bool:
    """Equal counts, shares and indices (messages may differ only by language)."""

    def bare(dimensions: Mapping[str, Any]) -> dict[str, Any]:
        return {
            name: {"index": value["index"], "categories": value["categories"]}
            for name, value in dimensions.items()
        }

    return snapshot.totals == figures.totals and bare(snapshot.dimensions) == bare(
        figures.dimensions
    )


def balance_snapshot_create(
    *,
    actor: User | None,
    process: Process,
    trigger: str,
    round_: Round | None = None,
    as_of: datetime | None = None,
) -> BalanceSnapshot:
    """Measure a process and store the result as a snapshot.

    Before: ``trigger`` is a SnapshotTrigger; ``round_``, if given, belongs to ``process``.
    After: a new snapshot of the contributions up to ``as_of`` (default now), dated then — except
    that a periodic snapshot equal to the latest one is not stored again (the latest is returned),
    so a quiet process does not fill the history with copies. A constant number of queries
    whatever the number of contributions.
    """
    if trigger not in SnapshotTrigger.values:
        raise ValidationError({"trigger": _("Unknown snapshot trigger.")})
    if round_ is not None and round_.process_id != process.pk:
        raise ValidationError({"round": _("This round belongs to another process.")})
    figures = balance_figures(process, as_of=as_of)
    if trigger == SnapshotTrigger.PERIODIC:
        latest = balance_selectors.latest_snapshot(process)
        if latest is not None and _same_figures(latest, figures):
            return latest
    return BalanceSnapshot.objects.create(
        process=process,
        computed_at=figures.computed_at,
        trigger=trigger,
        round=round_,
        dimensions=figures.dimensions,
        totals=figures.totals,
        taken_by=actor,
    )


def balance_snapshot_round(*, round_: Round) -> BalanceSnapshot:
    """The snapshot of a closed round's process as it stood at the close; taken once.

    Before: the round is closed or declared. After: exactly one round-close snapshot of the
    round exists; calling again (a redelivered task, the sweep) returns it.
    """
    existing = balance_selectors.round_close_snapshot(round_)
    if existing is not None:
        return existing
    if round_.closed_at is None:
        raise StateConflict(_("The round is not closed yet."))
    try:
        with transaction.atomic():
            return balance_snapshot_create(
                actor=None,
                process=round_.process,
                trigger=SnapshotTrigger.ROUND_CLOSE,
                round_=round_,
                as_of=round_.closed_at,
            )
    except IntegrityError:
        # Another worker took it between our read and our insert.
        return BalanceSnapshot.objects.get(round=round_, trigger=SnapshotTrigger.ROUND_CLOSE)


@dataclass(frozen=True)
class Sweep:
    """What one beat did: the open processes' snapshots and the round-close ones it made up."""

    snapshots: list[BalanceSnapshot]
    round_snapshots: list[BalanceSnapshot]


def snapshot_open_processes() -> Sweep:
    """The beat: snapshot every open process, and take any round-close snapshot that was lost.

    After: every open process has a snapshot equal to its balance now (a new one only where the
    figures changed), and every closed round has its round-close snapshot.
    """
    round_snapshots = [
        balance_snapshot_round(round_=round_)
        for round_ in balance_selectors.rounds_closed_without_snapshot()
    ]
    snapshots = [
        balance_snapshot_create(actor=None, process=process, trigger=SnapshotTrigger.PERIODIC)
        for process in balance_selectors.open_processes().order_by("slug")
    ]
    return Sweep(snapshots=snapshots, round_snapshots=round_snapshots)


# --- participation support ------------------------------------------------------------------
