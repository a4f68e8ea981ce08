"""Loading a round of a visible process, and how a round's participants are named."""

from typing import Any

import rules
from django.http import Http404, HttpRequest

from consensus import page_reads
from consensus.models import Ballot, Round
from consensus.rules import knows_participant
from deliberation.views.base import ProcessMixin
from stakeholders.models import Attribution, User
from stakeholders.presentation import group_region_label, public_name


class RoundMixin(ProcessMixin):
    """Loads `self.round` of `self.process` when the user may see it; 404 otherwise."""

    round: Round

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        round_ = page_reads.round_get(self.process, kwargs["pk"])
        if round_ is None or not rules.has_perm("consensus.view_round", request.user, round_):
            raise Http404
        round_.process = self.process
        self.round = round_

    def get_permission_object(self) -> Any:
        return self.round

    def round_context(self) -> dict[str, Any]:
        version = self.round.version
        return {
            **self.process_context(),
            "round": self.round,
            "version": version,
            "proposal": version.proposal,
            "issue": version.proposal.issue,
        }


def participant_name(
    viewer: User | Any, round_: Round, person: User, group: str, region: str | None
) -> str:
    """Who cast a ballot or an objection, as the round's visibility and the person's preference
    allow this viewer (`knows_participant`)."""
    if knows_participant(viewer, round_, person):
        return public_name(person, viewer=viewer, group=group, attribution=Attribution.NAMED)
    return group_region_label(group, region)


def voter_name(ballot: Ballot, round_: Round, viewer: User | Any) -> str:
    """A ballot's author as the round's visibility and the person's preference allow."""
    return participant_name(
        viewer, round_, ballot.user, ballot.stakeholder_group, ballot.region or None
    )
