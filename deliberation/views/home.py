"""The home page that explains the platform, with the newest processes."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from deliberation.selectors import process_list


def home(request: HttpRequest) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    return render(request, "home.html", {"processes": process_list(user)[:6]})
