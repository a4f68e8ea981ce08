"""The list filters of trust's API (django-filter FilterSets)."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError

from trust import selectors
from trust.models import Commitment, Endorsement
from web.filters import IdFilter


class EndorsementFilter(filters.FilterSet):
    to = IdFilter(field_name="to_user_id", label="Only endorsements received by this user id")

    class Meta:
        model = Endorsement
        fields: list[str] = []


# `from` is a Python keyword, so it cannot be declared in the class body.
EndorsementFilter.base_filters["from"] = IdFilter(
    field_name="from_user_id", label="Only endorsements given by this user id"
)


class CommitmentFilter(filters.FilterSet):
    process = filters.CharFilter(method="by_process", label="Only commitments made in this process")
    author = IdFilter(field_name="author_id", label="Only commitments of this user id")

    class Meta:
        model = Commitment
        fields: list[str] = []

    def by_process(self, queryset: QuerySet[Commitment], name: str, value: str) -> Any:
        """Commitments of a process the requester may read; another slug is a 400."""
        if not value:
            return queryset
        user = self.request.user if self.request is not None else None
        process = selectors.visible_processes(user).filter(slug=value).first()
        if process is None:
            raise ValidationError({"process": _("Unknown process '%s'.") % value})
        return queryset.filter(process=process)
