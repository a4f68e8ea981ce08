"""The public record page: the chain head to save as a witness, and the latest events as much as
the reader may see of each."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from record.chain import witness
from record.disclosure import disclose, shown_fields
from record.selectors import audit_events_after, audit_head


def record_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(audit_events_after(0).order_by("-seq"), 50).get_page(request.GET.get("page"))
    events = list(page.object_list)
    shown = disclose(request.user, events)
    head = audit_head()
    return render(
        request,
        "record/record.html",
        {
            "head": head,
            "witness": witness(head.seq, head.hash) if head else "",
            "page": page,
            "rows": [shown_fields(event, shown[event.seq]) for event in events],
        },
    )
