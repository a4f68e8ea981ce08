"""App configuration for consensus."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsensusConfig(AppConfig):
    name = "consensus"
    verbose_name = _("Consensus")

    def ready(self) -> None:
        from consensus import following, mail, notifications, opendata, panels  # noqa: F401 - kinds
        from deliberation.rules import lead_to_process

        panels.register()
        # An objection or an outcome belongs to a round, and a round to a process.
        # …and a poll's statements lead to their poll, which has a process.
        lead_to_process("round", "outcome", "poll")
        opendata.register_sections()
        following.register_sources()
        mail.connect()  # ballots by e-mail (stakeholders.inbound's registry)
