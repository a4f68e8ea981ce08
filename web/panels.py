"""The registry of page panels: a lower floor's page shows what the floors above register for it.

A page of deliberation or stakeholders names a slot (`{% panels "process.panels" process %}`);
consensus and trust fill the slots from their `AppConfig.ready()`, so the lower floor neither
imports them nor loads their tag libraries or URL names (docs/architecture.md). Hand-written: it
is a dict of lists, which no library would make shorter.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template import Context
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

# A panel takes the page's template context and the slot's arguments and returns safe HTML
# ("" to show nothing).
Render = Callable[..., str]


@dataclass(frozen=True)
class Panel:
    name: str
    order: int
    render: Render


_SLOTS: dict[str, dict[str, Panel]] = {}


def register(slot: str, name: str, render: Render, *, order: int = 100) -> None:
    """Show `render`'s HTML in `slot`, after the panels of a lower `order`.

    Registering a name again replaces the panel, so `ready()` may run more than once.
    """
    _SLOTS.setdefault(slot, {})[name] = Panel(name, order, render)


def panels(slot: str) -> list[Panel]:
    """The panels of `slot`, in order."""
    return sorted(_SLOTS.get(slot, {}).values(), key=lambda panel: (panel.order, panel.name))


def render(slot: str, context: Context, *args: Any) -> SafeString:
    """Every panel of `slot` rendered for this page, one after another."""
    return format_html_join("", "{}", ((panel.render(context, *args),) for panel in panels(slot)))


def include(context: Context, template_name: str, values: dict[str, Any]) -> str:
    """Render `template_name` with `values` the way an inclusion tag does (a fresh context that
    keeps the page's CSRF token)."""
    template = context.template.engine.get_template(template_name) if context.template else None
    if template is None:
        raise ValueError("Panels render inside a template.")
    inner = context.new(values)
    if context.get("csrf_token") is not None:
        inner["csrf_token"] = context["csrf_token"]
    return template.render(inner)
