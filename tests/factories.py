"""factory_boy factories, one per model."""

from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from consensus.models import BalanceSnapshot, SnapshotTrigger, SupportKind, SupportRequest
from consensus.polls.models import Moderation, Poll, PollParticipant, Statement, Vote
from deliberation.models import (
    Comment,
    Issue,
    Participation,
    Process,
    Proposal,
    ProposalVersion,
)
from stakeholders.models import Affiliation, StakeholderGroup, StatementOfInterest, User
from trust.models import (
    ActionKind,
    Attestation,
    Commitment,
    Endorsement,
    Flag,
    FlagTarget,
    ModerationAction,
    ModerationCase,
    Verdict,
)

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name")
    country = "KE"
    # People in tests said how they are funded (a new account has not: tests/stakeholders).
    funding = "self_funded"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(obj: User, create: bool, extracted: bool | None, **kwargs: object) -> None:  # noqa: N805
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class AffiliationFactory(factory.django.DjangoModelFactory[Affiliation]):
    class Meta:
        model = Affiliation

    user = factory.SubFactory(UserFactory)
    organisation = factory.Sequence(lambda n: f"Organisation {n}")
    stakeholder_group = StakeholderGroup.CIVIL_SOCIETY
    role = "Member"


class StatementOfInterestFactory(factory.django.DjangoModelFactory[StatementOfInterest]):
    class Meta:
        model = StatementOfInterest

    user = factory.SubFactory(UserFactory)
    version = factory.Sequence(lambda n: n + 1)
    funding_sources = "My employer"
    interests = "An open Internet"


class ProcessFactory(factory.django.DjangoModelFactory[Process]):
    """A public, open process; its creator is its facilitator."""

    class Meta:
        model = Process
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Process {n}")
    slug = factory.Sequence(lambda n: f"process-{n}")
    expected_groups = factory.LazyFunction(lambda: list(StakeholderGroup.values))
    created_by = factory.SubFactory(UserFactory, is_facilitator=True)

    @factory.post_generation
    def with_facilitator(obj: Process, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            obj.facilitators.add(obj.created_by)


class ParticipationFactory(factory.django.DjangoModelFactory[Participation]):
    """A stakeholder who joined a process wearing a (new) hat of the given group."""

    class Meta:
        model = Participation

    process = factory.SubFactory(ProcessFactory)
    user = factory.SubFactory(UserFactory)
    affiliation = factory.LazyAttribute(
        lambda o: AffiliationFactory.create(user=o.user, primary=True)
    )


class IssueFactory(factory.django.DjangoModelFactory[Issue]):
    class Meta:
        model = Issue

    process = factory.SubFactory(ProcessFactory)
    title = factory.Sequence(lambda n: f"Issue {n}")
    body = "How should the root zone be managed?"
    created_by = factory.LazyAttribute(lambda o: o.process.created_by)


class CommentFactory(factory.django.DjangoModelFactory[Comment]):
    class Meta:
        model = Comment

    issue = factory.SubFactory(IssueFactory)
    author = factory.SubFactory(UserFactory)
    affiliation = factory.LazyAttribute(lambda o: AffiliationFactory.create(user=o.author))
    body = "I think the **registry** should publish its policy."


class ProposalFactory(factory.django.DjangoModelFactory[Proposal]):
    class Meta:
        model = Proposal

    issue = factory.SubFactory(IssueFactory)
    title = factory.Sequence(lambda n: f"Proposal {n}")
    created_by = factory.LazyAttribute(lambda o: o.issue.created_by)


class ProposalVersionFactory(factory.django.DjangoModelFactory[ProposalVersion]):
    class Meta:
        model = ProposalVersion

    proposal = factory.SubFactory(ProposalFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "The registry publishes its policy every year."
    created_by = factory.LazyAttribute(lambda o: o.proposal.created_by)


class EndorsementFactory(factory.django.DjangoModelFactory[Endorsement]):
    class Meta:
        model = Endorsement

    from_user = factory.SubFactory(UserFactory)
    to_user = factory.SubFactory(UserFactory)


class CommitmentFactory(factory.django.DjangoModelFactory[Commitment]):
    """A commitment due today (so open to attestation), in no process."""

    class Meta:
        model = Commitment

    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"We will publish report number {n} on time.")
    due_on = factory.LazyFunction(timezone.localdate)


class AttestationFactory(factory.django.DjangoModelFactory[Attestation]):
    class Meta:
        model = Attestation

    commitment = factory.SubFactory(CommitmentFactory)
    attester = factory.SubFactory(UserFactory)
    verdict = Verdict.KEPT
    evidence = "The report is on the organisation's website."


class BalanceSnapshotFactory(factory.django.DjangoModelFactory[BalanceSnapshot]):
    """A stored snapshot with an even stakeholder-group balance (other dimensions empty)."""

    class Meta:
        model = BalanceSnapshot

    process = factory.SubFactory(ProcessFactory)
    trigger = SnapshotTrigger.PERIODIC
    totals = factory.LazyAttribute(
        lambda o: {
            "comments": len(o.process.expected_groups),
            "ballots": 0,
            "versions": 0,
            "contributions": len(o.process.expected_groups),
            "participants": len(o.process.expected_groups),
        }
    )
    dimensions = factory.LazyAttribute(
        lambda o: {
            "stakeholder_group": {
                "index": 1.0,
                "categories": {
                    group: {
                        "contributions": 1,
                        "participants": 1,
                        "share": 1 / len(o.process.expected_groups),
                        "ratio": 1.0,
                    }
                    for group in o.process.expected_groups
                },
                "alerts": [],
            },
            **{
                name: {"index": None, "categories": {}, "alerts": []}
                for name in ("region", "development", "funding", "newcomer", "gender")
            },
        }
    )


class SupportRequestFactory(factory.django.DjangoModelFactory[SupportRequest]):
    """A waiting request by a participant of the process (snapshot fields from their hat)."""

    class Meta:
        model = SupportRequest

    process = factory.SubFactory(ProcessFactory)
    requester = factory.LazyAttribute(lambda o: ParticipationFactory.create(process=o.process).user)
    kind = SupportKind.TRAVEL
    description = "A flight to the meeting."
    amount_requested = Decimal(500)
    stakeholder_group = StakeholderGroup.CIVIL_SOCIETY
    region = "africa"
    developing = True
    funding = "self_funded"


class ModerationCaseFactory(factory.django.DjangoModelFactory[ModerationCase]):
    class Meta:
        model = ModerationCase

    subject = factory.SubFactory(UserFactory)
    reasons = factory.LazyFunction(lambda: ["flags"])


class FlagFactory(factory.django.DjangoModelFactory[Flag]):
    class Meta:
        model = Flag

    reporter = factory.SubFactory(UserFactory)
    target_type = FlagTarget.USER
    subject = factory.SubFactory(UserFactory)
    target_id = factory.LazyAttribute(lambda o: o.subject.pk)
    reason = "Insults other participants."
    case = factory.LazyAttribute(lambda o: ModerationCaseFactory.create(subject=o.subject))


class ModerationActionFactory(factory.django.DjangoModelFactory[ModerationAction]):
    class Meta:
        model = ModerationAction

    case = factory.SubFactory(ModerationCaseFactory)
    subject = factory.LazyAttribute(lambda o: o.case.subject)
    actor = factory.SubFactory(UserFactory, is_staff=True)
    kind = ActionKind.PUBLIC_WARNING
    reason = "Repeated personal attacks in the discussion."


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def enrol_totp(user: User) -> Authenticator:
    """Set up TOTP two-factor authentication for `user`, as the setup page does."""
    return TOTP.activate(user, TOTP_SECRET).instance


class PollFactory(factory.django.DjangoModelFactory[Poll]):
    """An open statement poll in a process, opened by its facilitator."""

    class Meta:
        model = Poll

    process = factory.SubFactory(ProcessFactory)
    title = factory.Sequence(lambda n: f"What should poll {n} settle?")
    created_by = factory.LazyAttribute(lambda o: o.process.created_by)


class PollParticipantFactory(factory.django.DjangoModelFactory[PollParticipant]):
    """A pseudonymous (imported-style) participant of a poll."""

    class Meta:
        model = PollParticipant

    poll = factory.SubFactory(PollFactory)
    external_id = factory.Sequence(str)


class StatementFactory(factory.django.DjangoModelFactory[Statement]):
    """An accepted statement."""

    class Meta:
        model = Statement

    poll = factory.SubFactory(PollFactory)
    text = factory.Sequence(lambda n: f"Statement number {n}")
    moderated = Moderation.ACCEPTED


class VoteFactory(factory.django.DjangoModelFactory[Vote]):
    """An agree vote by a pseudonymous participant."""

    class Meta:
        model = Vote

    statement = factory.SubFactory(StatementFactory)
    poll = factory.LazyAttribute(lambda o: o.statement.poll)
    participant = factory.LazyAttribute(lambda o: PollParticipantFactory.create(poll=o.poll))
    value = 1
