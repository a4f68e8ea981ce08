"""The "add to calendar" file of one round: its deadline as an iCalendar event."""

from django.http import HttpRequest, HttpResponse
from django.views import View

from consensus.following import round_event
from consensus.views.base import RoundMixin
from deliberation.following.calendars import single_event_response


class RoundCalendarView(RoundMixin, View):
    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        return single_event_response(round_event(self.round), self.process.title)
