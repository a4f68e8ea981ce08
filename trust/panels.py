"""The panels trust shows on lower floors' pages: report links, commitments, the trust summary and
the trust pages in the account and staff menus."""

from typing import Any

from django.template import Context
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from deliberation.models import Comment, Process, Proposal
from stakeholders.models import User
from trust.templatetags.trust_tags import process_commitments, user_trust_summary
from web import panels


def _viewer(context: Context) -> Any:
    return context["request"].user


def _report(kind: str, pk: int, label: str, hidden: str = "") -> str:
    """The link to report one thing to the admins (trust:report)."""
    if not hidden:
        return format_html('<a href="{}">{}</a>', reverse("trust:report", args=[kind, pk]), label)
    return format_html(
        '<a href="{}">{}<span class="visually-hidden"> {}</span></a>',
        reverse("trust:report", args=[kind, pk]),
        label,
        hidden,
    )


def report_proposal(context: Context, proposal: Proposal) -> str:
    viewer = _viewer(context)
    if not viewer.is_authenticated or proposal.created_by_id == viewer.pk:
        return ""
    return format_html("· {}", _report("proposal", proposal.pk, _("Report"), _("this proposal")))


def report_comment(context: Context, comment: Comment) -> str:
    viewer = _viewer(context)
    if not viewer.is_authenticated or comment.author_id == viewer.pk:
        return ""
    return _report("comment", comment.pk, _("Report"), _("this comment"))


def report_ballot(context: Context, objection: Any) -> str:
    """The report link under an objection's rationale (the ballot it was written in)."""
    viewer = _viewer(context)
    if not viewer.is_authenticated or not objection.ballot_id or objection.objector_id == viewer.pk:
        return ""
    link = _report("ballot", objection.ballot_id, _("Report"), _("this rationale"))
    return format_html('<p class="report">{}</p>', link)


def report_user(context: Context, profile: User) -> str:
    viewer = _viewer(context)
    if not viewer.is_authenticated or viewer.pk == profile.pk:
        return ""
    link = _report("user", profile.pk, _("Report this stakeholder to the admins"))
    return format_html('<p class="report">{}</p>', link)


def commitments(context: Context, process: Process) -> str:
    values = process_commitments(context, process)
    return panels.include(context, "trust/_process_commitments.html", values)


def summary(context: Context, profile: User) -> str:
    return panels.include(context, "trust/_summary.html", user_trust_summary(context, profile))


def my_moderation(context: Context) -> str:
    match = context["request"].resolver_match
    current = match is not None and match.url_name == "my_moderation"
    return format_html(
        '<li><a href="{}"{}>{}</a></li>\n',
        reverse("trust:my_moderation"),
        mark_safe(' aria-current="page"') if current else "",
        _("Moderation decisions"),
    )


def staff_pages(context: Context) -> str:
    return format_html(
        '<li><a href="{}">{}</a></li>\n  <li><a href="{}">{}</a></li>\n'
        '  <li><a href="{}">{}</a></li>\n',
        reverse("trust:staff"),
        _("Trust computation"),
        reverse("trust:moderation"),
        _("Moderation"),
        reverse("trust:signals"),
        _("Signals"),
    )


def register() -> None:
    """Fill the lower floors' slots (called from TrustConfig.ready)."""
    panels.register("proposal.actions", "report", report_proposal, order=10)
    panels.register("comment.actions", "report", report_comment, order=10)
    panels.register("objection.actions", "report", report_ballot, order=10)
    panels.register("profile.actions", "report", report_user, order=10)
    panels.register("profile.panels", "trust", summary, order=10)
    panels.register("process.panels", "commitments", commitments, order=20)
    panels.register("me.nav", "moderation", my_moderation, order=10)
    panels.register("staff.nav", "trust", staff_pages, order=10)
