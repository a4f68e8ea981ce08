"""`manage.py compute_opinion [--poll ID]`: compute opinion maps now, as the beat sweep would."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from consensus.polls import selectors, services
from consensus.polls.models import OpinionMapResult, Poll


class Command(BaseCommand):
    help = (
        "Compute the opinion map of every poll whose votes are newer than its map (as the "
        "periodic sweep does), or of one poll with --poll."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--poll", type=int, metavar="ID", help="Compute only this poll.")

    def handle(self, *args: Any, **options: Any) -> None:
        poll_id = options.get("poll")
        if poll_id is not None:
            poll = Poll.objects.filter(pk=poll_id).first()
            if poll is None:
                raise CommandError(f"No poll with the id {poll_id}.")
            polls = [poll]
        else:
            polls = list(selectors.stale_polls())
        for poll in polls:
            self._report(poll, services.opinion_compute(poll=poll))
        self.stdout.write(f"Computed {len(polls)} opinion map(s).")

    def _report(self, poll: Poll, stored: OpinionMapResult) -> None:
        figures = stored.figures
        consensus = sum(1 for s in figures["statements"] if s["consensus"])
        self.stdout.write(
            f"poll {poll.pk}: {len(figures['participants'])} participants in the map, "
            f"{len(figures['groups'])} opinion group(s), {consensus} consensus statement(s), "
            f"up to vote #{stored.last_vote}."
        )
