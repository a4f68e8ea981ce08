"""Template tags: rendered markdown with glossary annotations, contributor names, cache keys."""

import hashlib
from typing import Any

from django import forms, template
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

from deliberation import glossary as glossary_reads
from deliberation.models import Comment
from deliberation.rendering import Glossary, RenderedCache, render_markdown
from deliberation.rules import facilitates
from deliberation.rulewords import threshold_sentence
from stakeholders.presentation import public_face, public_name

register = template.Library()


def _glossary(context: template.Context) -> tuple[Glossary, tuple[int, object]]:
    """One compiled glossary per request, in the request's language, with its version."""
    request = context.get("request")
    cached = getattr(request, "_glossary", None)
    if cached is None:
        version = glossary_reads.glossary_version()
        cached = (glossary_reads.glossary(get_language() or "en", version), version)
        if request is not None:
            request._glossary = cached
    return cached


@register.simple_tag(takes_context=True)
def glossary_stamp(context: template.Context) -> str:
    """The glossary's version for this request, for fragment cache keys: a saved term changes it,
    so every fragment with annotated text is rendered anew."""
    return str(_glossary(context)[1])


@register.filter
def digest(text: str) -> str:
    """A short fingerprint of a text, for fragment cache keys (the text itself may be long)."""
    return hashlib.blake2b((text or "").encode(), digest_size=12).hexdigest()


# Rendered texts kept by this process (bytes of HTML; a few megabytes hold thousands of comments).
_RENDERED = RenderedCache(max_bytes=8 * 1024 * 1024)


@register.simple_tag(takes_context=True)
def rendered(context: template.Context, text: str, scope: str) -> SafeString:
    """Markdown → sanitised HTML with the first mention of each glossary term annotated;
    rendered once per text, language and glossary version (deliberation.rendering)."""
    glossary, version = _glossary(context)
    html = _RENDERED.get(
        text or "",
        (str(scope), get_language() or "en", version),
        lambda source: glossary.annotate(render_markdown(source), scope=str(scope)),
    )
    return mark_safe(html)  # noqa: S308 - nh3-cleaned


# Unbound forms rendered by this process (their HTML depends only on the key below).
_FORMS = RenderedCache(max_bytes=2 * 1024 * 1024)


def _choices(field: forms.ModelChoiceField[Any]) -> tuple[tuple[str, str], ...]:
    return tuple((str(value), str(label)) for value, label in field.choices)  # type: ignore[union-attr, misc]


@register.simple_tag
def form_fields(form: forms.Form) -> SafeString:
    """`{% form_fields form %}`: what `{% include "_form.html" %}` renders, built once per form
    class, language, initial values and choices while the form is unbound.

    Rendering widgets through their templates is the costliest part of a page with a form; an
    unbound form's HTML is a pure function of that key, so it is rendered once and kept. A bound
    form (errors, posted values) is rendered every time.
    """
    if form.is_bound:
        return render_to_string("_form.html", {"form": form})
    key = (
        type(form).__qualname__,
        get_language() or "en",
        form.prefix,
        tuple(
            (
                name,
                repr(bound.value()),
                # Some help is the person's own (what the public sees of their comment).
                str(bound.help_text),
                _choices(bound.field) if isinstance(bound.field, forms.ModelChoiceField) else None,
            )
            for name, bound in ((name, form[name]) for name in form.fields)
        ),
    )
    return mark_safe(  # noqa: S308 - Django's own form rendering, escaped by its templates
        _FORMS.get(repr(key), None, lambda _key: render_to_string("_form.html", {"form": form}))
    )


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


@register.simple_tag(takes_context=True)
def viewer_stamp(context: template.Context, comment: Comment, may_comment: bool) -> str:
    """For a comment's fragment key: what of the viewer its actions and notes show — whether they
    are signed in, may reply, wrote it, and (their own group-only comment) what the public sees
    of it. The comment actions panels show nothing else of the viewer."""
    viewer = context["request"].user
    if not viewer.is_authenticated:
        return "anonymous"
    own = comment.author_id == viewer.pk
    face = seen_by_public(comment) if own and comment.attribution == "group_only" else ""
    return f"{'reply' if may_comment else 'read'}:{'own' if own else 'other'}:{face}"


@register.filter
def seen_by_public(comment: Comment) -> str:
    """`{{ comment|seen_by_public }}`: the author as the public sees them on this comment (what
    `contributor` shows a reader who is not signed in)."""
    return public_face(
        comment.author, group=comment.affiliation.stakeholder_group, attribution=comment.attribution
    )


@register.filter
def consensus_rule(process: Any) -> str:
    """`{{ process|consensus_rule }}`: the process's consensus rule in plain words."""
    return threshold_sentence(
        process.quorum_per_group, process.group_support_min, process.minority_max_share
    )


@register.filter
def excerpt(source: str, words: int = 30) -> str:
    """`{{ text|excerpt:30 }}`: the first words of a markdown text as plain text (no markup)."""
    return Truncator(strip_tags(render_markdown(source or ""))).words(words)
