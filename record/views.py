"""The public record page: the chain head to save as a witness, and the latest events as much as
the reader may see of each."""

from typing import Any

from django.apps import apps
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from record.chain import witness
from record.disclosure import Shown, disclose, shown_fields
from record.models import AuditEvent
from record.phrases import object_label, phrase
from record.selectors import audit_events_after, audit_head


def _model(obj: str) -> tuple[Any, int] | None:
    """The model class and id an event's object names, when that model has pages."""
    parts = object_label(obj)
    if parts is None:
        return None
    try:
        model = apps.get_model(parts[0], parts[1])
    except LookupError:
        return None
    return (model, parts[2]) if hasattr(model, "get_absolute_url") else None


def _for_people(fields: dict[str, Any], event: AuditEvent) -> dict[str, Any]:
    """A row as a sentence: what happened, to what (named by its kind), linked where it has a
    page; the raw action and object stay beside it, and whole in the API."""
    found = _model(fields["object"]) if fields["object"] else None
    fields["phrase"] = phrase(fields["action"]) if fields["public"] else ""
    fields["object_name"] = (
        f"{found[0]._meta.verbose_name} {found[1]}" if found else fields["object"]
    )
    fields["link"] = reverse("record:object", args=[event.seq]) if found else ""
    return fields


def object_view(request: HttpRequest, seq: int) -> HttpResponse:
    """Follow an entry of the record to the page of what it is about, if the reader may see it."""
    event = AuditEvent.objects.filter(seq=seq).first()
    if event is None or disclose(request.user, [event])[event.seq] is not Shown.FULL:
        raise Http404
    found = _model(event.object)
    target = found[0].objects.filter(pk=found[1]).first() if found else None
    if target is None:
        raise Http404
    return redirect(target.get_absolute_url())


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
            "rows": [_for_people(shown_fields(event, shown[event.seq]), event) for event in events],
        },
    )
