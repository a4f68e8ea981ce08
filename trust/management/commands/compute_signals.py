"""`manage.py compute_signals`: compute the advisory bad-actor signals now and say what it found."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

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
        rounds = ngettext("%(n)d closed round", "%(n)d closed rounds", run.rounds) % {
            "n": run.rounds
        }
        ballots = ngettext("%(n)d ballot", "%(n)d ballots", run.ballots) % {"n": run.ballots}
        cases = ngettext(
            "%(n)d new moderation case", "%(n)d new moderation cases", run.cases_opened
        ) % {"n": run.cases_opened}
        self.stdout.write(
            self.style.SUCCESS(
                f"Signal computation #{run.pk}: {rounds}, {ballots}; at threshold: {found}; "
                f"{cases}. Advisory only: nobody's standing changed."
            )
        )
