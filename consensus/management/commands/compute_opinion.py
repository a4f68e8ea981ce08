"""`manage.py compute_opinion [--poll ID]`: compute opinion maps now, as the beat sweep would."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import ngettext

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
        self.stdout.write(
            ngettext("Computed %(n)d opinion map.", "Computed %(n)d opinion maps.", len(polls))
            % {"n": len(polls)}
        )

    def _report(self, poll: Poll, stored: OpinionMapResult) -> None:
        figures = stored.figures
        consensus = sum(1 for s in figures["statements"] if s["consensus"])
        people, groups = len(figures["participants"]), len(figures["groups"])
        counts = [
            ngettext("%(n)d participant in the map", "%(n)d participants in the map", people)
            % {"n": people},
            ngettext("%(n)d opinion group", "%(n)d opinion groups", groups) % {"n": groups},
            ngettext("%(n)d consensus statement", "%(n)d consensus statements", consensus)
            % {"n": consensus},
        ]
        self.stdout.write(f"poll {poll.pk}: {', '.join(counts)}, up to vote #{stored.last_vote}.")
