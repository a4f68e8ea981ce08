"""The kinds of notification, each registered by the app that sends it.

A kind is a stored value (`"round"`), a label for the settings page and an order there. Lower
floors know only their own kinds; consensus and trust register theirs in their modules
`notifications.py`, imported by their AppConfig.ready(), so a new feature never edits this floor.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    value: str
    label: str | Promise
    order: int


_KINDS: dict[str, Kind] = {}


def kind_register(value: str, label: str | Promise, *, order: int) -> str:
    """Register a kind (again: replaced, so ready() may run twice); returns its stored value."""
    if len(value) > 20:
        raise ValueError(f"A notification kind is stored in 20 characters: {value!r}")
    _KINDS[value] = Kind(value, label, order)
    return value


def kinds() -> list[Kind]:
    """Every registered kind, in the order of the settings page."""
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.value))


def kind_values() -> list[str]:
    return [kind.value for kind in kinds()]


def kind_choices() -> list[tuple[str, str | Promise]]:
    """The choices of Notification.kind and NotificationSetting.kind (a callable, so that
    registering a kind needs no migration)."""
    return [(kind.value, kind.label) for kind in kinds()]


ROLE = kind_register("role", _("Changes to my roles and hats"), order=10)
