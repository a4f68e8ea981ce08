"""Template tags: rendered markdown with glossary annotations, diffs, and contributor names."""

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from deliberation import selectors
from deliberation.models import Comment
from deliberation.rendering import Glossary, render_markdown
from deliberation.rules import facilitates
from stakeholders.presentation import public_name

register = template.Library()


def _glossary(context: template.Context) -> Glossary:
    """One compiled glossary per request, in the request's language."""
    request = context.get("request")
    cached = getattr(request, "_glossary", None)
    if cached is None:
        cached = selectors.glossary(get_language() or "en")
        if request is not None:
            request._glossary = cached
    return cached


@register.simple_tag(takes_context=True)
def rendered(context: template.Context, text: str, scope: str) -> SafeString:
    """Markdown → sanitised HTML with the first mention of each glossary term annotated."""
    html = render_markdown(text or "")
    return mark_safe(_glossary(context).annotate(html, scope=str(scope)))  # noqa: S308 - nh3-cleaned


@register.simple_tag(takes_context=True)
def contributor(context: template.Context, comment: Comment) -> str:
    """The author as the viewer may see them: named, or by group and region only."""
    viewer = context["request"].user
    # The page's own process object caches its facilitators once for every comment shown.
    process = context.get("process") or comment.issue.process
    return public_name(
        comment.author,
        viewer=viewer,
        group=comment.affiliation.stakeholder_group,
        attribution=comment.attribution,
        facilitates=bool(facilitates(viewer, process)),
    )


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)
