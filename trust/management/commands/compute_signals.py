"""`manage.py compute_signals`: compute the advisory bad-actor signals now and say what it found."""

from typing import Any

from django.core.management.base import BaseCommand

from trust.models import SignalKind, SignalRun
from trust.moderation.compute import signals_compute


class Command(BaseCommand):
    help = "Compute the obstruction, coordination, Sybil and flag signals now (advisory only)."

    def handle(self, *args: Any, **options: Any) -> None:
        run = signals_compute(trigger=SignalRun.Trigger.COMMAND)
        by_kind = {
            kind: run.signals.filter(kind=kind, flagged=True).count() for kind in SignalKind.values
        }
        found = ", ".join(f"{kind} {count}" for kind, count in by_kind.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Signal computation #{run.pk}: {run.rounds} closed rounds, {run.ballots} ballots; "
                f"at threshold: {found}; {run.cases_opened} new moderation cases. "
                "Advisory only: nobody's standing changed."
            )
        )
