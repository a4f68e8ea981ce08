"""`manage.py import_polis DIR --process SLUG`: import a Pol.is export folder as a poll."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from consensus.polls import exchange, polis, services
from deliberation.models import Process
from stakeholders.models import User


def read_folder(folder: Path) -> dict[str, str]:
    """The export's CSV files by name (those present; the parser names any missing)."""
    if not folder.is_dir():
        raise CommandError(f"{folder}: not a folder.")
    files = {}
    for name in (*polis.REQUIRED, *polis.OPTIONAL):
        path = folder / name
        if path.is_file():
            try:
                files[name] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as error:
                raise CommandError(f"{name}: not UTF-8 text ({error.reason}).") from None
    return files


class Command(BaseCommand):
    help = (
        "Import a Pol.is open-data export folder (comments.csv, votes.csv, summary.csv, "
        "participants-votes.csv) as a statement poll of a process, in one transaction, and "
        "print the new poll's id."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", metavar="DIR")
        parser.add_argument("--process", metavar="SLUG", required=True)
        parser.add_argument(
            "--as", dest="actor", metavar="EMAIL", help="Who imports it (default: a facilitator)."
        )
        parser.add_argument(
            "--no-map", action="store_true", help="Do not compute the opinion map now."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        process = Process.objects.filter(slug=options["process"]).first()
        if process is None:
            raise CommandError(f"No process with the slug {options['process']!r}.")
        actor = self._actor(process, options.get("actor"))
        files = read_folder(Path(options["folder"]))
        try:
            poll = exchange.poll_import(actor=actor, process=process, files=files)
        except polis.PolisFormatError as error:
            raise CommandError(str(error)) from None
        if not options["no_map"]:
            services.opinion_compute(poll=poll)
        self.stdout.write(str(poll.pk))

    def _actor(self, process: Process, email: str | None) -> User:
        if email:
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                raise CommandError(f"No user with the e-mail {email!r}.")
            return user
        user = process.facilitators.order_by("id").first() or (
            User.objects.filter(is_superuser=True).order_by("id").first()
        )
        if user is None:
            raise CommandError("The process has no facilitator; name one with --as EMAIL.")
        return user
