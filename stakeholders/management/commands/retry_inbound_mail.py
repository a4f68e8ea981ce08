"""Process every stored inbound message still waiting or failed, now, as beat does."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from stakeholders.inbound import services


class Command(BaseCommand):
    help = "Process inbound e-mail still waiting (lost queue message) or failed, and print each."

    def handle(self, *args: Any, **options: Any) -> None:
        ids = services.retryable_ids(older_than_seconds=0)
        for pk in ids:
            status = services.inbound_process(message_id=pk)
            self.stdout.write(f"inbound message {pk}: {status or 'held by another worker'}")
        self.stdout.write(
            ngettext(
                "%(n)d inbound message processed.", "%(n)d inbound messages processed.", len(ids)
            )
            % {"n": len(ids)}
        )
