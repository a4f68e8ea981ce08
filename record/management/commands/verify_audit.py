"""`manage.py verify_audit`: check the audit chain; exit 1 naming the first broken link."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from record.selectors import audit_chain_break, audit_head


class Command(BaseCommand):
    help = "Verify the hash chain of the public record and name the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = audit_chain_break()
        if broken is not None:
            raise CommandError(f"Audit chain broken at event #{broken.seq}: {broken.reason}")
        head = audit_head()
        if head is None:
            self.stdout.write("The audit chain is empty.")
        else:
            self.stdout.write(f"Audit chain verified: {head.seq} events, head {head.hash}.")
