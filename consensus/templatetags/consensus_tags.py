"""Template tags that show a proposal's or a process's consensus rounds on deliberation pages."""

from typing import Any

import rules
from django import template

from consensus import page_reads, selectors
from consensus.forms import DESIGNATION_LABELS
from consensus.models import Round
from consensus.plainwords import group_sentence
from deliberation.models import Process, Proposal, ProposalVersion

register = template.Library()


def _visible(context: template.Context, rounds: Any) -> list[Round]:
    user = context["request"].user
    return [r for r in rounds if rules.has_perm("consensus.view_round", user, r)]


@register.inclusion_tag("consensus/_rounds.html", takes_context=True)
def proposal_rounds(
    context: template.Context, proposal: Proposal, version: ProposalVersion
) -> dict[str, Any]:
    """The rounds on this proposal, and for facilitators a link to start one on `version`."""
    rounds = selectors.numbered(
        Round.objects.filter(version__proposal=proposal).select_related(
            "version", "outcome", "process"
        )
    ).order_by("-created_at", "-id")
    return {
        "rounds": _visible(context, rounds),
        "process": context["process"],
        "start_version": version,
        "may_start": rules.has_perm(
            "consensus.add_round", context["request"].user, context["process"]
        ),
        "labels": DESIGNATION_LABELS,
    }


@register.inclusion_tag("consensus/_rounds.html", takes_context=True)
def process_rounds(context: template.Context, process: Process) -> dict[str, Any]:
    return {
        "rounds": _visible(context, page_reads.latest_rounds(process, 10)),
        "process": process,
        "labels": DESIGNATION_LABELS,
        "show_proposal": True,
    }


@register.filter
def designation_label(value: str) -> str:
    return str(DESIGNATION_LABELS.get(value, value))


@register.filter
def group_words(bar: Any) -> str:
    """`{{ bar|group_words }}`: "3 of 5 support it or can live with it, 1 objects"."""
    return group_sentence(
        {"support": bar.support, "accept": bar.accept, "abstain": bar.abstain, "object": bar.object}
    )


@register.filter
def lives_with_share(bar: Any) -> float | None:
    """The share of a category's ballots taking a position that support or accept (None if none)."""
    n = bar.support + bar.accept + bar.object
    return (bar.support + bar.accept) / n if n else None
