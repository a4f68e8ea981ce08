"""The site's URLs plus the minimal reference views the web benchmark compares against."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt


def minimal(request: HttpRequest) -> HttpResponse:
    """The smallest Django view: the reference for page latency (docs/design.md §9)."""
    return HttpResponse("ok")


@never_cache
def base_layout(request: HttpRequest) -> HttpResponse:
    """The site's base layout and nothing else, for whoever asks (a signed-in user's session,
    navigation and badge included), rendered fresh every time (never from the anonymous page
    cache): the reference for the pages' latency."""
    return render(request, "base.html")


@csrf_exempt
def minimal_insert(request: HttpRequest) -> HttpResponse:
    """A view that inserts one row: the reference for ballot throughput (docs/design.md §9)."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_minimal_insert (at) VALUES (now())")
    return HttpResponse("ok", status=201)


urlpatterns = [
    path("bench/minimal/", minimal),
    path("bench/minimal-insert/", minimal_insert),
    path("bench/base/", base_layout),
    path("", include("config.urls")),
]
