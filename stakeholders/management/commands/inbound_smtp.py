"""Run the inbound SMTP listener (replies by e-mail) until interrupted."""

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from stakeholders.inbound.smtp import controller


class Command(BaseCommand):
    help = "Listen for replies by e-mail on INBOUND_SMTP_HOST:INBOUND_SMTP_PORT and store them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.INBOUND_SMTP_HOST)
        parser.add_argument("--port", type=int, default=settings.INBOUND_SMTP_PORT)

    def handle(self, *args: Any, **options: Any) -> None:
        listener = controller(host=options["host"], port=options["port"])
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        listener.start()
        self.stdout.write(
            f"Inbound SMTP listening on {options['host']}:{options['port']} for"
            f" @{settings.INBOUND_EMAIL_DOMAIN}.",
        )
        self.stdout.flush()
        try:
            stop.wait()
        finally:
            listener.stop()
            self.stdout.write("Inbound SMTP stopped.")
