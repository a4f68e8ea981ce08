"""Template filters of balance pages: shares as percentages, and category names."""

from django import template

from consensus.balance import text as balance_text

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """0.374 → "37%" in the active locale; an absent value → "—"."""
    return "—" if value is None else balance_text.percent(float(value))


@register.filter
def group_label(group: str) -> str:
    """A stakeholder group's name in the active language."""
    return balance_text.category_label("stakeholder_group", group)


@register.filter
def region_label(region: str) -> str:
    """A UN regional group's name in the active language."""
    return balance_text.category_label("region", region)
