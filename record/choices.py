"""`get_<field>_display` in one dictionary look-up: choice labels translated once per language."""

from __future__ import annotations

from functools import lru_cache, partialmethod
from typing import Any

from django.db import models
from django.utils.translation import get_language


@lru_cache(maxsize=1024)
def _labels(field: models.Field[Any, Any], language: str | None) -> dict[Any, str]:
    # Built while `language` is active, so each lazy label is translated exactly once for it.
    return {value: str(label) for value, label in field.flatchoices}


def _display(instance: models.Model, *, field: models.Field[Any, Any]) -> Any:
    """What Django's `_get_FIELD_display` answers: the label of the value, or the value itself.

    Django rebuilds the field's choices as a dictionary of lazy labels on every call, and hashing
    each lazy label translates it: a table of 25 ballots paid a few hundred translations for its
    positions and groups. The labels depend only on the field and the active language.
    """
    value = getattr(instance, field.attname)
    try:
        return _labels(field, get_language()).get(value, value)
    except TypeError:  # an unhashable value (a list in an ArrayField): Django's own way
        return models.Model._get_FIELD_display(instance, field)  # type: ignore[attr-defined]


def speed_up_choice_displays(model_classes: Any) -> None:
    """Replace the `get_<field>_display` methods Django generated on these models (a method the
    model defines itself is left alone)."""
    for model in model_classes:
        for field in model._meta.get_fields():
            if getattr(field, "choices", None) is None or not hasattr(field, "attname"):
                continue
            name = f"get_{field.name}_display"
            if isinstance(model.__dict__.get(name), partialmethod):
                setattr(model, name, partialmethod(_display, field=field))
