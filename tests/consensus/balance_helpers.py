"""Helpers of the balance tests: an open round on a version, without the round pages."""

from datetime import timedelta

from django.utils import timezone

from consensus.models import Round, RoundStatus
from deliberation.models import ProposalVersion
from stakeholders.models import User


def open_round(version: ProposalVersion, facilitator: User) -> Round:
    """An open round written directly, as round_open leaves it (its notifications link to the
    round pages, which live elsewhere)."""
    process = version.proposal.issue.process
    return Round.objects.create(
        process=process,
        version=version,
        status=RoundStatus.OPEN,
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=1),
        expected_groups=list(process.expected_groups),
        created_by=facilitator,
    )
