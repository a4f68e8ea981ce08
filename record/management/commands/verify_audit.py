"""`manage.py verify_audit [--against HASH@SEQ …]`: check the audit chain, and that it still holds
heads saved earlier; exit 1 naming the first broken link or the lost head."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from record.selectors import audit_chain_break, audit_head
from record.witness import witness_break


class Command(BaseCommand):
    help = (
        "Verify the hash chain of the public record and name the first broken link; with "
        "--against, also prove that chain heads saved earlier (HASH@SEQ) are still in it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--against",
            action="append",
            default=[],
            metavar="HASH@SEQ",
            help="A chain head saved earlier (the record page, GET /api/v1/audit/head/ or the "
            "daily witness line in the log); may be given several times.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        broken = audit_chain_break()
        if broken is not None:
            raise CommandError(f"Audit chain broken at event #{broken.seq}: {broken.reason}")
        for saved in options["against"]:
            lost = witness_break(saved)
            if lost is not None:
                raise CommandError(lost)
            self.stdout.write(f"The chain still holds the saved head {saved.strip()}.")
        head = audit_head()
        if head is None:
            self.stdout.write("The audit chain is empty.")
        else:
            self.stdout.write(f"Audit chain verified: {head.seq} events, head {head.hash}.")
