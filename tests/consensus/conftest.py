"""A consensus scene: a process with six expected groups, their participants, a proposal, rounds."""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone

from consensus import services
from consensus.models import Round
from deliberation import services as deliberation
from deliberation.models import Process, Proposal
from stakeholders.models import StakeholderGroup, User
from tests.factories import AffiliationFactory, ProcessFactory, UserFactory

COUNTRIES = {
    "government": "KE",
    "private_sector": "DE",
    "civil_society": "BR",
    "technical_community": "IN",
    "academia": "PL",
    "intergovernmental": "US",
}


@dataclass
class Scene:
    process: Process
    facilitator: User
    proposal: Proposal
    people: dict[str, list[User]] = field(default_factory=dict)

    def person(self, group: str, index: int = 0) -> User:
        """The index-th participant of a group, created (and joined) on first use."""
        members = self.people.setdefault(group, [])
        while len(members) <= index:
            user = UserFactory.create(country=COUNTRIES[group])
            AffiliationFactory.create(user=user, primary=True, stakeholder_group=group)
            deliberation.participation_join(actor=user, process=self.process)
            members.append(user)
        return members[index]

    def open_round(self, **kwargs: object) -> Round:
        version = self.proposal.versions.order_by("-number").first()
        assert version is not None
        round_ = services.round_create(
            actor=self.facilitator,
            version=version,
            closes_at=timezone.now() + timedelta(days=3),
            **kwargs,  # type: ignore[arg-type]
        )
        return services.round_open(actor=self.facilitator, round_=round_)


def make_scene(**process_fields: object) -> Scene:
    process = ProcessFactory.create(**process_fields)
    facilitator = process.created_by
    AffiliationFactory.create(
        user=facilitator, primary=True, stakeholder_group=StakeholderGroup.TECHNICAL_COMMUNITY
    )
    issue = deliberation.issue_create(
        actor=facilitator, process=process, title="Root zone", body="Framing"
    )
    proposal = deliberation.proposal_create(
        actor=facilitator, issue=issue, title="Principles", text="Version 1"
    )
    return Scene(process=process, facilitator=facilitator, proposal=proposal)


@pytest.fixture
def scene(db: None) -> Scene:
    return make_scene()
