"""The list filters of consensus's API (django-filter FilterSets)."""

from django_filters import rest_framework as filters

from consensus.models import Objection, Round
from web.filters import IdFilter


class RoundFilter(filters.FilterSet):
    process = filters.CharFilter(field_name="process__slug", label="A process slug")

    class Meta:
        model = Round
        fields: list[str] = []


class ObjectionFilter(filters.FilterSet):
    round = IdFilter(field_name="round_id", label="A round id")

    class Meta:
        model = Objection
        fields: list[str] = []
