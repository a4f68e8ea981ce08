"""`manage.py compute_outcomes`: compute the outcome of every closed round that lacks one."""

from typing import Any

from django.core.management.base import BaseCommand

from consensus.services import compute_pending_outcomes


class Command(BaseCommand):
    help = "Compute the outcome of every closed round that has none yet, and say which."

    def handle(self, *args: Any, **options: Any) -> None:
        done = compute_pending_outcomes()
        rounds = ", ".join(map(str, done))
        self.stdout.write(
            f"Computed {len(done)} outcome(s)" + (f": rounds {rounds}" if done else ".")
        )
