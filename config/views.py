"""Site-wide pages: the home page that explains the platform, and the health check."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from deliberation.selectors import process_list


def home(request: HttpRequest) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    return render(request, "home.html", {"processes": process_list(user)[:6]})


def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and compose: the database answers a trivial query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
