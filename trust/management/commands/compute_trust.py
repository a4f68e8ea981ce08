"""`manage.py compute_trust`: recompute everyone's trust now, synchronously, and say what it did."""

from typing import Any

from django.core.management.base import BaseCommand

from trust.models import TrustComputation
from trust.scores import trust_compute


class Command(BaseCommand):
    help = "Recompute every stakeholder's trust (EigenTrust and commitment record) now."

    def handle(self, *args: Any, **options: Any) -> None:
        run = trust_compute(trigger=TrustComputation.Trigger.COMMAND)
        state = "converged" if run.converged else "stopped before converging"
        self.stdout.write(
            self.style.SUCCESS(
                f"Trust computation #{run.pk}: {run.users} users, {run.endorsements} endorsements, "
                f"{run.pretrusted} pre-trusted (verified), {run.attestations} attestations; "
                f"EigenTrust {state} after {run.iterations} iterations "
                f"(last change {run.delta:.1e}); took {run.seconds:.2f} s."
            )
        )
