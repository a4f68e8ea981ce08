"""`manage.py close_due_rounds`: close every open round past its deadline, now."""

from typing import Any

from django.core.management.base import BaseCommand

from consensus.services import close_due_rounds


class Command(BaseCommand):
    help = "Close every open round whose deadline has passed, and say which."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = close_due_rounds()
        rounds = ", ".join(map(str, closed))
        self.stdout.write(f"Closed {len(closed)} round(s)" + (f": {rounds}" if closed else "."))
