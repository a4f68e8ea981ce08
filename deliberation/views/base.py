"""Shared pieces of deliberation's pages: loading a visible process, permission checks, errors."""

from collections.abc import Callable
from typing import Any

import rules
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.db.models.query import ModelIterable
from django.http import Http404, HttpRequest

from deliberation import selectors
from deliberation.models import Process
from stakeholders.access import RuleRequiredMixin


def form_errors_from(form: Any, error: ValidationError) -> None:
    """Show a service's ValidationError on the form (field by field where possible)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def paginate(
    request: HttpRequest,
    items: Any,
    per_page: int,
    first: Callable[[int], tuple[list[Any], int]] | None = None,
) -> Page:
    """The requested page of `items`. The first page of a query of model rows costs one query,
    however many rows there are: its rows carry the total (a window count), or `first` (a
    hand-written read of the first `per_page` rows and the total) reads them; any other page
    costs a COUNT and the page."""
    number = request.GET.get("page")
    if first is not None and number in (None, "", "1"):
        rows, total = first(per_page)
        counted: Any = Counted(rows, total)
        return Paginator(counted, per_page).page(1)
    if (
        isinstance(items, QuerySet)
        and items._iterable_class is ModelIterable
        and not items.query.distinct  # a window counts rows before DISTINCT
        and number in (None, "", "1")
    ):
        rows = list(items.annotate(listed_total=Window(Count("pk")))[:per_page])
        total = rows[0].listed_total if rows else 0
        listed: Any = Counted(rows, total)
        return Paginator(listed, per_page).page(1)
    return Paginator(items, per_page).get_page(number)


class Counted:
    """A query whose length was read with another row (e.g. annotated on the round), so that
    paging it costs one query, not a COUNT and a page."""

    def __init__(self, items: Any, count: int) -> None:  # anything sliceable
        self.items = items
        self._count = count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        return self.items[index]


def may(request: HttpRequest, rule: str, obj: Any = None) -> bool:
    return bool(rules.has_perm(rule, request.user, obj))


class ProcessMixin:
    """Loads `self.process` by slug among the processes the user may read; 404 otherwise.

    A plain mixin (not a View), so a permission mixin's dispatch stays ahead of View's.
    """

    process: Process

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)  # type: ignore[misc]
        user = request.user if request.user.is_authenticated else None
        process = selectors.process_get(kwargs["slug"], user)
        if process is None:
            raise Http404
        self.process = process

    def get_permission_object(self) -> Any:
        return self.process

    def process_context(self) -> dict[str, Any]:
        return {"process": self.process}


class ProcessRuleMixin(ProcessMixin, RuleRequiredMixin):
    """A process page that needs a permission on `get_permission_object()` (the process)."""
