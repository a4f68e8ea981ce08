"""`manage.py export_polis POLL_ID DIR`: write a poll as a Pol.is open-data export folder."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from consensus.polls import exchange
from consensus.polls.models import Poll


class Command(BaseCommand):
    help = "Write a statement poll as a Pol.is open-data export (four CSV files) into DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("poll", type=int, metavar="POLL_ID")
        parser.add_argument("folder", metavar="DIR")

    def handle(self, *args: Any, **options: Any) -> None:
        poll = Poll.objects.filter(pk=options["poll"]).first()
        if poll is None:
            raise CommandError(f"No poll with the id {options['poll']}.")
        folder = Path(options["folder"])
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in exchange.export_files(poll).items():
            (folder / name).write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {folder / name}")
