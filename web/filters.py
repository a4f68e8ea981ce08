"""Query-parameter filters the APIs share (django-filter), so the OpenAPI schema documents them."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters


class IdField(forms.IntegerField):
    """A numeric id: digits only, else 400 naming the parameter ("Must be a numeric id.")."""

    default_error_messages = {"invalid": _("Must be a numeric id.")}

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if not str(value).isdigit():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(value)


class IdFilter(filters.Filter):
    """Rows whose `field_name` equals the given numeric id; absent or empty: no filter."""

    field_class = IdField

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value is None:
            return qs
        return qs.filter(**{self.field_name: value})
