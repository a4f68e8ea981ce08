"""The list filters of deliberation's API (django-filter FilterSets)."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError

from deliberation import selectors
from deliberation.models import Comment, Issue, Proposal, Resource
from web.filters import IdFilter


class IssueFilter(filters.FilterSet):
    """`?process=SLUG`: the issues of a process the reader may see; any other slug is a 400."""

    process = filters.CharFilter(method="in_process", label="A process slug")

    class Meta:
        model = Issue
        fields: list[str] = []

    def in_process(self, queryset: QuerySet[Issue], name: str, value: str) -> QuerySet[Issue]:
        user = self.request.user if self.request and self.request.user.is_authenticated else None
        if not selectors.visible_processes(user).filter(slug=value).exists():
            raise ValidationError({"process": _("No such process: %s") % value})
        return queryset.filter(process__slug=value)


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
