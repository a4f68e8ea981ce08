"""Loading a round of a visible process, and how a round's participants are named."""

from typing import Any

import rules
from django.http import Http404, HttpRequest

from consensus import selectors
from consensus.models import Ballot, BallotVisibility, Round
from deliberation.views.base import ProcessMixin
from stakeholders.models import User
from stakeholders.presentation import group_region_label, public_name


class RoundMixin(ProcessMixin):
    """Loads `self.round` of `self.process` when the user may see it; 404 otherwise."""

    round: Round

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        round_ = selectors.round_get(self.process, kwargs["pk"])
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


def voter_name(ballot: Ballot, round_: Round, viewer: User | Any) -> str:
    """A ballot's author as the round's visibility and the person's preference allow."""
    reveal = viewer.is_authenticated and (
        viewer.is_staff or viewer.pk in round_.process.facilitator_ids
    )
    if (
        round_.ballot_visibility == BallotVisibility.GROUP_ONLY
        and not reveal
        and viewer.pk != ballot.user_id
    ):
        return group_region_label(ballot.stakeholder_group, ballot.region or None)
    return public_name(ballot.user, viewer=viewer, group=ballot.stakeholder_group, reveal=reveal)
