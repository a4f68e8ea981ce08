"""`{% panels "slot" arg … %}`: the panels the floors above registered for this place of a page."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from web import panels as registry

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context: template.Context, slot: str, *args: Any) -> SafeString:
    return registry.render(slot, context, *args)
