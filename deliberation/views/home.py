"""The home page that explains the platform, with the newest processes."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from deliberation.selectors import process_list


def home(request: HttpRequest) -> HttpResponse:
    """The introduction; a signed-in person goes to their own home (`?about` shows this page)."""
    user = request.user if request.user.is_authenticated else None
    if user is not None and "about" not in request.GET:
        return redirect("trust:dashboard")  # by name: the floor above fills the page
    return render(request, "home.html", {"processes": process_list(user)[:6]})
