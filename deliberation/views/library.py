"""The newcomer's library: glossary, resources, the getting-started path, and search."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from deliberation import glossary as glossary_reads
from deliberation import selectors, services
from deliberation.forms import GlossaryTermForm, ResourceFilterForm, ResourceForm, SearchForm
from deliberation.models import GlossaryTerm
from deliberation.views.base import form_errors_from, may, paginate
from stakeholders.access import RuleRequiredMixin, current_user


def glossary_view(request: HttpRequest) -> HttpResponse:
    language = get_language() or "en"
    terms = [
        {
            "slug": slugify(term.term),
            "term": term,
            "definition": term.definition(language),
        }
        for term in glossary_reads.glossary_terms()
    ]
    return render(
        request,
        "deliberation/glossary.html",
        {"terms": terms, "may_manage": may(request, "deliberation.manage_glossary")},
    )


class GlossaryTermEditView(RuleRequiredMixin, View):
    """Create a term (no pk) or change one."""

    rule = "deliberation.manage_glossary"
    template_name = "deliberation/glossary_form.html"

    def _instance(self, pk: int | None) -> GlossaryTerm | None:
        return get_object_or_404(GlossaryTerm, pk=pk) if pk is not None else None

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        instance = self._instance(pk)
        form = GlossaryTermForm(instance=instance)
        return render(request, self.template_name, {"form": form, "term": instance})

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        instance = self._instance(pk)
        form = GlossaryTermForm(request.POST, instance=instance)
        if form.is_valid():
            try:
                term = services.glossary_term_save(
                    actor=current_user(request),
                    term=form.cleaned_data["term"],
                    aliases=form.alias_list(),
                    definitions=form.definitions(),
                    instance=instance,
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("“%s” is in the glossary.") % term.term)
                return redirect(f"/glossary/#{slugify(term.term)}")
        return render(request, self.template_name, {"form": form, "term": instance})


def resources_view(request: HttpRequest) -> HttpResponse:
    form = ResourceFilterForm(request.GET or None, topics=selectors.resource_topics())
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    found = selectors.resources(
        language=filters.get("language", ""),
        region=filters.get("region", ""),
        topic=filters.get("topic", ""),
        kind=filters.get("kind", ""),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "deliberation/resources.html",
        {
            "form": form,
            "page": paginate(request, found, 30),
            "query": query.urlencode(),
            "may_manage": may(request, "deliberation.manage_resources"),
        },
    )


class ResourceCreateView(RuleRequiredMixin, View):
    rule = "deliberation.manage_resources"
    template_name = "deliberation/resource_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": ResourceForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ResourceForm(request.POST)
        if form.is_valid():
            try:
                services.resource_save(actor=current_user(request), **form.values())
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("The resource was added to the library."))
                return redirect("deliberation:resources")
        return render(request, self.template_name, {"form": form})


def getting_started_view(request: HttpRequest) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    return render(
        request,
        "deliberation/getting_started.html",
        {
            "guides": selectors.resources(kind="guide")[:5],
            "fellowships": selectors.resources(kind="fellowship")[:5],
            "processes": selectors.process_list(user)[:5],
            "term_count": glossary_reads.glossary_terms().count(),
        },
    )


def search_view(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    user = request.user if request.user.is_authenticated else None
    return render(
        request,
        "deliberation/search.html",
        {"form": form, "query": query, "hits": selectors.search(query, user)},
    )
