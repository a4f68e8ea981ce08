"""The public record page: the chain head and the latest public events."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from record.selectors import audit_events_after, audit_head


def record_view(request: HttpRequest) -> HttpResponse:
    events = audit_events_after(0).order_by("-seq")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "record/record.html", {"head": audit_head(), "page": page})
