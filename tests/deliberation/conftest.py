"""Fixtures of a process with its cast: facilitator, participants, an outsider and an admin."""

from dataclasses import dataclass

import pytest

from deliberation import services
from deliberation.models import Issue, Process, Proposal, Visibility
from stakeholders.models import StakeholderGroup, User
from tests.factories import AffiliationFactory, ParticipationFactory, ProcessFactory, UserFactory


@dataclass
class Cast:
    process: Process
    facilitator: User
    member: User
    other_member: User
    outsider: User
    other_facilitator: User
    admin: User
    issue: Issue
    proposal: Proposal


def make_cast(visibility: str = Visibility.PUBLIC) -> Cast:
    process = ProcessFactory.create(visibility=visibility)
    facilitator = process.created_by
    AffiliationFactory.create(
        user=facilitator, primary=True, stakeholder_group=StakeholderGroup.TECHNICAL_COMMUNITY
    )
    member = ParticipationFactory.create(process=process).user
    other_member = ParticipationFactory.create(process=process).user
    outsider = UserFactory.create()
    AffiliationFactory.create(user=outsider, primary=True)
    other_facilitator = ProcessFactory.create().created_by
    admin = UserFactory.create(is_staff=True)
    issue = services.issue_create(actor=member, process=process, title="Root zone", body="Framing")
    proposal = services.proposal_create(
        actor=member, issue=issue, title="P", text="Version one text"
    )
    return Cast(
        process,
        facilitator,
        member,
        other_member,
        outsider,
        other_facilitator,
        admin,
        issue,
        proposal,
    )


@pytest.fixture
def cast(db: None) -> Cast:
    return make_cast()


@pytest.fixture
def private_cast(db: None) -> Cast:
    return make_cast(Visibility.MEMBERS)
