"""`manage.py compute_outcomes`: compute the outcome of every closed round that lacks one."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from consensus.services import compute_pending_outcomes


class Command(BaseCommand):
    help = "Compute the outcome of every closed round that has none yet, and say which."

    def handle(self, *args: Any, **options: Any) -> None:
        done = compute_pending_outcomes()
        said = ngettext("Computed %(n)d outcome", "Computed %(n)d outcomes", len(done)) % {
            "n": len(done)
        }
        self.stdout.write(f"{said}: {', '.join(map(str, done))}." if done else f"{said}.")
