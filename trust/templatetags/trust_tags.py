"""Template tags that show trust elsewhere: a profile's summary, a process's commitments."""

from typing import Any

import rules
from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deliberation.models import Process
from stakeholders.models import User
from trust import page_reads, selectors
from trust.models import Commitment
from trust.presentation import endorse_controls, shown_name

register = template.Library()

PROCESS_COMMITMENTS_SHOWN = 10
PROFILE_COMMITMENTS_SHOWN = 5


@register.inclusion_tag("trust/_summary.html", takes_context=True)
def user_trust_summary(context: template.Context, profile: User) -> dict[str, Any]:
    """`{% user_trust_summary profile %}`: the latest score, endorsers, the endorse button and
    the latest commitments the visitor may see."""
    request = context["request"]
    commitments = selectors.commitments_visible_to(request.user).filter(author=profile)
    return {
        "request": request,
        "profile": profile,
        "score": selectors.latest_score(profile),
        "compares": rules.has_perm("trust.view_comparison", request.user, profile),
        "endorser_count": selectors.endorsers(profile).count(),
        "commitments": list(commitments[:PROFILE_COMMITMENTS_SHOWN]),
        **endorse_controls(request.user, profile),
    }


@register.inclusion_tag("trust/_process_commitments.html", takes_context=True)
def process_commitments(context: template.Context, process: Process) -> dict[str, Any]:
    """`{% process_commitments process %}`: the latest commitments made in a process.

    A visitor who may not read the process sees no commitment of it.
    """
    request = context["request"]
    viewer = request.user
    # The page's process knows its facilitators and whether the viewer takes part: no query.
    readable = rules.has_perm("deliberation.view_process", viewer, process)
    # One more than shown tells whether there are more; only then are they counted.
    shown = []
    if readable:
        shown = page_reads.process_commitments(process, PROCESS_COMMITMENTS_SHOWN + 1)
    total = len(shown)
    if total > PROCESS_COMMITMENTS_SHOWN:
        total = Commitment.objects.filter(process=process).count()
        shown = shown[:PROCESS_COMMITMENTS_SHOWN]
    return {
        "request": request,
        "user": viewer,
        "process": process,
        "rows": [(c, shown_name(c.author, viewer)) for c in shown],
        "total": total,
    }


@register.simple_tag
def attestation_counts(commitment: Commitment) -> str:
    """'2 kept, 1 partly kept, 0 broken' from the counts the commitment selectors annotate."""
    kept, partly, broken = (getattr(commitment, name, 0) for name in ("kept", "partly", "broken"))
    if not kept + partly + broken:
        return _("none yet")
    return verdicts(kept, partly, broken)


@register.simple_tag
def verdicts(kept: int, partly: int, broken: int) -> str:
    """'2 kept, 1 partly kept, 0 broken', each count with its own plural form."""
    return _("%(kept)s, %(partly)s, %(broken)s") % {
        "kept": ngettext("%(n)d kept", "%(n)d kept", kept) % {"n": kept},
        "partly": ngettext("%(n)d partly kept", "%(n)d partly kept", partly) % {"n": partly},
        "broken": ngettext("%(n)d broken", "%(n)d broken", broken) % {"n": broken},
    }


@register.filter
def as_percent(value: float | None) -> str:
    """0.75 → '75%' in the current locale's number format."""
    if value is None:
        return "—"
    return _("%s%%") % number_format(value * 100, decimal_pos=0)


@register.filter
def complement(value: float) -> float:
    """1 − value: the share of trust passed along endorsements when `value` returns to the start."""
    return 1.0 - value
