"""The panels consensus shows on deliberation's pages: rounds, balance links, the round links."""

from django.template import Context
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from consensus.templatetags.consensus_tags import process_rounds, proposal_rounds
from deliberation.models import Process, Proposal, ProposalVersion
from web import panels


def balance_links(context: Context, process: Process) -> str:
    return format_html(
        '<p class="process-links"><a href="{}">{}</a>\n  · <a href="{}">{}</a></p>\n',
        reverse("balance:balance", args=[process.slug]),
        _("Balance of participation"),
        reverse("balance:support", args=[process.slug]),
        _("Participation support"),
    )


def rounds_of_process(context: Context, process: Process) -> str:
    return panels.include(context, "consensus/_rounds.html", process_rounds(context, process))


def round_links(context: Context, process: Process) -> str:
    return format_html(
        '<p><a href="{}">{}</a> ·\n   <a href="{}">{}</a></p>\n',
        reverse("consensus:rounds", args=[process.slug]),
        _("All consensus rounds"),
        reverse("consensus:process_objections", args=[process.slug]),
        _("Objection register"),
    )


def poll_links(context: Context, process: Process) -> str:
    return format_html(
        '<p><a href="{}">{}</a></p>\n',
        reverse("polls:polls", args=[process.slug]),
        _("Statement polls and the opinion map"),
    )


def rounds_of_proposal(context: Context, proposal: Proposal, version: ProposalVersion) -> str:
    values = proposal_rounds(context, proposal, version)
    return panels.include(context, "consensus/_rounds.html", values)


def register() -> None:
    """Fill deliberation's slots (called from ConsensusConfig.ready)."""
    panels.register("process.links", "balance", balance_links, order=10)
    panels.register("process.panels", "rounds", rounds_of_process, order=10)
    panels.register("process.panels", "round_links", round_links, order=30)
    panels.register("process.panels", "poll_links", poll_links, order=40)
    panels.register("proposal.panels", "rounds", rounds_of_proposal, order=10)
