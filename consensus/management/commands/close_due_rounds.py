"""`manage.py close_due_rounds`: close every open round past its deadline, now."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from consensus.services import close_due_rounds


class Command(BaseCommand):
    help = "Close every open round whose deadline has passed, and say which."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = close_due_rounds()
        said = ngettext("Closed %(n)d round", "Closed %(n)d rounds", len(closed)) % {
            "n": len(closed)
        }
        self.stdout.write(f"{said}: {', '.join(map(str, closed))}." if closed else f"{said}.")
