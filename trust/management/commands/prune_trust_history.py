"""`manage.py prune_trust_history`: delete the trust scores retention no longer keeps, now."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from trust.scores import trust_history_prune


class Command(BaseCommand):
    help = "Delete trust scores older than the retention keeps (beat does this every night)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = trust_history_prune()
        self.stdout.write(
            self.style.SUCCESS(
                f"Deleted {deleted} trust scores; kept the latest computation, one a day for "
                f"{settings.TRUST_HISTORY_DAYS} days and one a month for "
                f"{settings.TRUST_HISTORY_MONTHS or 'all'} months."
            )
        )
