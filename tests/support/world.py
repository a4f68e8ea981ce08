"""One world where every route has something to act on, seen by nine kinds of people: built once
by the authorization matrix (tests/config/test_authorization_matrix.py)."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from consensus import services as consensus
from consensus.balance import support as balance_support
from consensus.models import Challenge, Objection, Outcome, Round, SupportRequest
from deliberation import services as deliberation
from deliberation.models import (
    Comment,
    GlossaryTerm,
    Issue,
    Process,
    Proposal,
    ProposalVersion,
    Resource,
)
from stakeholders import services as stakeholders
from stakeholders.models import Affiliation, StakeholderGroup, User
from tests.factories import AffiliationFactory, UserFactory, enrol_totp
from trust import services as trust
from trust.models import (
    ActionKind,
    Appeal,
    Attestation,
    Commitment,
    Endorsement,
    ModerationAction,
    ModerationCase,
)
from trust.moderation import services as moderation

# Who asks, in the matrix's column order.
ROLES = (
    "anonymous",  # no account
    "stakeholder",  # signed in, owns the personal things (hat, commitment, endorsement, warning)
    "member",  # takes part in the process; wrote its issue, comment, proposal, objection
    "non_member",  # signed in, takes part in nothing, owns nothing
    "suspended",  # took part in the process, now suspended
    "other_facilitator",  # facilitator right and TOTP, facilitates another process
    "facilitator",  # facilitates the process, with TOTP
    "admin_no_totp",  # staff without TOTP (REQUIRE_STAFF_MFA is on in the matrix)
    "admin",  # staff with TOTP
)
GROUPS = list(StakeholderGroup.values)


@dataclass
class World:
    people: dict[str, User]
    hats: dict[str, Affiliation]
    process: Process
    other_process: Process
    issue: Issue
    comment: Comment
    proposal: Proposal
    version: ProposalVersion
    later_version: ProposalVersion
    third_version: ProposalVersion
    draft_round: Round
    open_round: Round
    closed_round: Round
    declared_round: Round
    objection: Objection
    unacknowledged: Objection
    challenge: Challenge
    support: SupportRequest
    term: GlossaryTerm
    resource: Resource
    commitment: Commitment
    attestation: Attestation
    endorsement: Endorsement
    case: ModerationCase
    warning: ModerationAction
    ban: ModerationAction
    appeal: Appeal
    target: User  # someone nobody in the matrix is: endorsed, reported, given roles
    extra: dict[str, object] = field(default_factory=dict)


def _case_of(reporter: User, target_type: str, target_id: int, reason: str) -> ModerationCase:
    """The case a report opens (or joins)."""
    case = moderation.flag_create(
        actor=reporter, target_type=target_type, target_id=target_id, reason=reason
    ).case
    assert case is not None
    return case


def _person(name: str, group: str, **fields: object) -> tuple[User, Affiliation]:
    user = UserFactory.create(display_name=name.replace("_", " ").title(), **fields)
    hat = AffiliationFactory.create(user=user, primary=True, stakeholder_group=group)
    return user, hat


def build_world() -> World:
    people: dict[str, User] = {}
    hats: dict[str, Affiliation] = {}
    for index, role in enumerate(ROLES[1:]):
        flags = {
            "other_facilitator": {"is_facilitator": True},
            "facilitator": {"is_facilitator": True},
            "admin_no_totp": {"is_staff": True},
            "admin": {"is_staff": True},
        }.get(role, {})
        people[role], hats[role] = _person(role, GROUPS[index % len(GROUPS)], **flags)
    for role in ("other_facilitator", "facilitator", "admin"):
        enrol_totp(people[role])
    second_admin, _hat = _person("second_admin", "academia", is_staff=True)
    enrol_totp(second_admin)
    target, _hat = _person("target", "government")
    restricted, _hat = _person("restricted", "academia")
    facilitator, member = people["facilitator"], people["member"]

    process = deliberation.process_create(
        actor=facilitator, title="Root zone", slug="root-zone", support_budget=Decimal(10000)
    )
    other_process = deliberation.process_create(
        actor=people["other_facilitator"], title="Elsewhere", slug="elsewhere"
    )
    for role in ("member", "suspended"):
        deliberation.participation_join(actor=people[role], process=process)
    deliberation.participation_join(actor=restricted, process=process)
    issue = deliberation.issue_create(actor=member, process=process, title="Scope", body="Why")
    comment = deliberation.comment_create(actor=member, issue=issue, body="A first comment")
    proposal = deliberation.proposal_create(actor=member, issue=issue, title="Plan", text="One")
    version = proposal.versions.get()
    later_version = deliberation.version_publish(
        actor=member, proposal=proposal, text="Two", change_summary="Clearer"
    )
    closes = timezone.now() + timedelta(days=5)

    def new_round() -> Round:
        return consensus.round_create(actor=facilitator, version=later_version, closes_at=closes)

    declared_round = consensus.round_open(actor=facilitator, round_=new_round())
    consensus.ballot_cast(actor=member, round_=declared_round, position="support")
    consensus.round_close(actor=facilitator, round_=declared_round)
    consensus.outcome_compute(round_=declared_round)
    consensus.outcome_declare(
        actor=facilitator, round_=declared_round, designation_="divergence", rationale="Few"
    )
    outcome = Outcome.objects.get(round=declared_round)
    challenge = consensus.challenge_create(actor=member, outcome=outcome, text="Too early")
    closed_round = consensus.round_open(actor=facilitator, round_=new_round())
    consensus.ballot_cast(actor=member, round_=closed_round, position="object", rationale="No")
    consensus.round_close(actor=facilitator, round_=closed_round)
    consensus.outcome_compute(round_=closed_round)
    # The member's objection is carried into the next round, where they are asked about it.
    open_round = consensus.round_open(actor=facilitator, round_=new_round())
    restricted.restricted_until = timezone.now() + timedelta(days=10)
    restricted.save(update_fields=["restricted_until"])
    consensus.ballot_cast(actor=restricted, round_=open_round, position="object", rationale="No")
    draft_round = new_round()
    third_version = deliberation.version_publish(
        actor=member, proposal=proposal, text="Three", change_summary="For the objection"
    )
    support = balance_support.support_request_create(
        actor=member,
        process=process,
        kind="travel",
        description="A flight to the meeting",
        amount_requested=Decimal(500),
    )
    term = GlossaryTerm.objects.create(term="Stewardship", definitions={"en": "Care for"})
    resource = Resource.objects.create(
        title="A guide", url="https://example.org/guide", kind="guide", summary="Read this"
    )
    stakeholder = people["stakeholder"]
    commitment = trust.commitment_create(
        actor=stakeholder, text="We publish the minutes", due_on=timezone.localdate()
    )
    attestation = trust.attestation_give(
        actor=member, commitment=commitment, verdict="kept", evidence="They did"
    )
    endorsement = trust.endorsement_give(actor=stakeholder, to_user=target, note="Fair")
    case = _case_of(stakeholder, "user", target.pk, "Spam")
    warning = moderation.action_take(
        actor=second_admin,
        case=_case_of(target, "user", stakeholder.pk, "Rude"),
        kind=ActionKind.PUBLIC_WARNING,
        reason="Tone",
    )
    ban = moderation.action_take(
        actor=second_admin,
        case=_case_of(target, "user", restricted.pk, "Threats"),
        kind=ActionKind.BAN,
        reason="Threats",
    )
    appealed = moderation.action_take(
        actor=second_admin,
        case=_case_of(stakeholder, "comment", comment.pk, "Off topic"),
        kind=ActionKind.PRIVATE_WARNING,
        reason="Topic",
    )
    appeal = moderation.appeal_file(actor=member, action=appealed, text="It was on topic")
    stakeholders.standing_set(
        actor=second_admin,
        user=people["suspended"],
        level="suspended",
        until=timezone.now() + timedelta(days=7),
    )
    world = World(
        people=people,
        hats=hats,
        process=process,
        other_process=other_process,
        issue=issue,
        comment=comment,
        proposal=proposal,
        version=version,
        later_version=later_version,
        third_version=third_version,
        draft_round=draft_round,
        open_round=open_round,
        closed_round=closed_round,
        declared_round=declared_round,
        objection=Objection.objects.get(round=open_round, objector=member),
        unacknowledged=Objection.objects.get(round=open_round, objector=restricted),
        challenge=challenge,
        support=support,
        term=term,
        resource=resource,
        commitment=commitment,
        attestation=attestation,
        endorsement=endorsement,
        case=case,
        warning=warning,
        ban=ban,
        appeal=appeal,
        target=target,
    )
    _add_poll(world)
    _add_invitation(world)
    return world


def _add_poll(world: World) -> None:
    """A statement poll of the process: an accepted seed and a member's waiting statement."""
    from consensus.polls import services as polls

    poll = polls.poll_open(
        actor=world.people["facilitator"],
        process=world.process,
        title="Where next?",
        seed_statements=["Meet online"],
    )
    world.extra["poll"] = poll
    world.extra["statement"] = poll.statements.get()
    world.extra["pending"] = polls.statement_submit(
        actor=world.people["member"], poll=poll, text="Meet in Nairobi"
    )


def _add_invitation(world: World) -> None:
    """A pending invitation to the process, sent by its facilitator to someone with no account."""
    from deliberation.invitations import services as invitations

    made, _pending, _members = invitations.invitations_create(
        actor=world.people["facilitator"], process=world.process, emails=["guest@example.org"]
    )
    world.extra["invitation"] = made[0]
