"""The list filters of deliberation's API (django-filter FilterSets)."""

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters

from deliberation import selectors
from deliberation.models import Comment, Proposal, Resource
from web.filters import IdFilter


class CommentFilter(filters.FilterSet):
    issue = IdFilter(field_name="issue_id", label="An issue id")

    class Meta:
        model = Comment
        fields: list[str] = []


class ProposalFilter(filters.FilterSet):
    issue = IdFilter(field_name="issue_id", label="An issue id")

    class Meta:
        model = Proposal
        fields: list[str] = []


class ResourceFilter(filters.FilterSet):
    """The library's filters; `selectors.resources` applies them (a region matches resources for
    that region and those for every region)."""

    language = filters.CharFilter(method="by_selector", label="A language code")
    region = filters.CharFilter(method="by_selector", label="A UN region")
    topic = filters.CharFilter(method="by_selector", label="A topic")
    kind = filters.CharFilter(method="by_selector", label="A kind of resource")

    class Meta:
        model = Resource
        fields: list[str] = []

    def by_selector(self, queryset: QuerySet[Resource], name: str, value: str) -> Any:
        return queryset  # applied together in filter_queryset

    def filter_queryset(self, queryset: QuerySet[Resource]) -> QuerySet[Resource]:
        data = self.form.cleaned_data
        return selectors.resources(**{name: data.get(name) or "" for name in self.filters})
