"""iCalendar feeds (built with `icalendar`): per process, per round, and a person's own behind
the same secret token as their feed. Every event has a stable UID, so calendars update it."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as IcsEvent

from deliberation.following.feeds import followed_processes, person_for_key, public_process
from deliberation.following.timeline import Event, events
from deliberation.models import Process

DOMAIN = settings.SITE_URL.split("://")[-1].split("/")[0]


def calendar_response(name: str, found: list[Event], filename: str) -> HttpResponse:
    cal = Calendar()
    cal.add("prodid", "-//Footing//open consensus//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    for item in found:
        event = IcsEvent()
        event.add("uid", f"{item.uid}@{DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("summary", item.summary)
        event.add("dtstart", item.start)
        if item.end is not None:
            event.add("dtend", item.end)
        event.add("url", f"{settings.SITE_URL}{item.link}")
        if item.description:
            event.add("description", item.description)
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def process_calendar_view(request: HttpRequest, slug: str) -> HttpResponse:
    process = public_process(slug)
    found = events(Process.objects.filter(pk=process.pk).values("pk"))
    return calendar_response(process.title, found, f"{process.slug}.ics")


def personal_calendar_view(request: HttpRequest, key: str) -> HttpResponse:
    person = person_for_key(key)
    found = events(followed_processes(person), person)
    return calendar_response("Footing", found, "footing.ics")


def single_event_response(event: Event, name: str) -> HttpResponse:
    return calendar_response(name, [event], f"{event.uid}.ics")
