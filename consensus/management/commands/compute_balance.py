"""`manage.py compute_balance [--process SLUG]`: take balance snapshots now, as beat would."""

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import ngettext

from consensus.balance import services as balance_service
from consensus.balance.text import DIMENSIONS
from consensus.models import BalanceSnapshot, SnapshotTrigger
from deliberation.models import Process


class Command(BaseCommand):
    help = (
        "Snapshot the participation balance of every open process (as the periodic task does), "
        "or of one process with --process."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--process", metavar="SLUG", help="Snapshot only this process.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = timezone.now()
        slug = options.get("process")
        if slug:
            process = Process.objects.filter(slug=slug).first()
            if process is None:
                raise CommandError(f"No process with the slug {slug!r}.")
            snapshot = balance_service.balance_snapshot_create(
                actor=None, process=process, trigger=SnapshotTrigger.ON_DEMAND
            )
            self._report(snapshot, started)
            return
        sweep = balance_service.snapshot_open_processes()
        for snapshot in sweep.snapshots:
            self._report(snapshot, started)
        measured, taken = len(sweep.snapshots), len(sweep.round_snapshots)
        self.stdout.write(
            ngettext("Measured %(n)d open process;", "Measured %(n)d open processes;", measured)
            % {"n": measured}
            + " "
            + ngettext(
                "took %(n)d missing round-close snapshot.",
                "took %(n)d missing round-close snapshots.",
                taken,
            )
            % {"n": taken}
        )

    def _report(self, snapshot: BalanceSnapshot, started: datetime) -> None:
        indices = ", ".join(
            f"{name} {_number(snapshot.dimensions[name]['index'])}" for name in DIMENSIONS
        )
        alerts = sum(len(snapshot.dimensions[name]["alerts"]) for name in DIMENSIONS)
        state = "unchanged since" if snapshot.computed_at < started else "snapshot at"
        contributions, people = snapshot.totals["contributions"], snapshot.totals["participants"]
        counts = ngettext(
            "%(n)d contribution by %(people)s;", "%(n)d contributions by %(people)s;", contributions
        ) % {
            "n": contributions,
            "people": ngettext("%(n)d person", "%(n)d people", people) % {"n": people},
        }
        self.stdout.write(
            f"{snapshot.process.slug}: {state} {snapshot.computed_at:%Y-%m-%d %H:%M:%S} "
            f"(#{snapshot.pk}); {counts} index {indices}; "
            + ngettext("%(n)d alert.", "%(n)d alerts.", alerts)
            % {"n": alerts}
        )


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"
