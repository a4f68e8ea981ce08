"""The public `demo` process for `seed_demo`: issues, a discussion, a proposal in two versions."""

from dataclasses import dataclass

from django.db import transaction

from deliberation import services
from deliberation.models import Issue, Process, Proposal
from stakeholders.demo import DemoPeople
from stakeholders.models import User

DEMO_SLUG = "demo"

PROPOSAL_V1 = """1. Registries and registrars act on reported DNS abuse (malware, botnets, phishing,
pharming and spam used to deliver them) within 48 hours of a well-evidenced report.

2. Action is proportionate: suspending a domain name is a last resort when the registrant cannot be
reached or the harm is ongoing.

3. Every registry and registrar publishes a yearly report of abuse reports received and
actions taken."""

PROPOSAL_V2 = """1. Registries and registrars act on reported DNS abuse (malware, botnets, phishing,
pharming and spam used to deliver them) within 48 hours of a well-evidenced report, and tell the
reporter what they did.

2. Action is proportionate: suspending a domain name is a last resort when the registrant cannot be
reached or the harm is ongoing. Registrants can appeal a suspension to an independent reviewer.

3. Every registry and registrar publishes a yearly report of abuse reports received and
actions taken, in a common format agreed with the technical community.

4. Content that is lawful but disliked is not DNS abuse: these principles never cover it."""


@dataclass(frozen=True)
class DemoProcess:
    process: Process
    issue: Issue
    proposal: Proposal


def _join(people: list[User], process: Process) -> None:
    for person in people:
        services.participation_join(actor=person, process=process)


@transaction.atomic
def seed_process(people: DemoPeople) -> DemoProcess:
    """Create the demo process once; a second run finds it and changes nothing."""
    existing = Process.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        issue = existing.issues.order_by("id").first()
        proposal = Proposal.objects.filter(issue__process=existing).order_by("id").first()
        if issue is None or proposal is None:
            raise RuntimeError("The demo process exists but has no issue or proposal.")
        return DemoProcess(existing, issue, proposal)

    s = {n: people.stakeholders[n - 1] for n in range(1, 31)}
    process = services.process_create(
        actor=people.facilitator,
        title="Demo: principles for acting on DNS abuse",
        slug=DEMO_SLUG,
        description=(
            "A public demonstration process. Governments, business, civil society, the technical "
            "community, academia and intergovernmental organisations work out shared principles "
            "for how registries and registrars act on **DNS abuse**, the way an IGF best practice "
            "forum or an ICANN working group would."
        ),
    )
    _join(people.stakeholders, process)
    issue = services.issue_create(
        actor=people.facilitator,
        process=process,
        title="Who should act on DNS abuse, and how fast?",
        body=(
            "Phishing and malware often rely on domain names. When a well-evidenced report "
            "arrives, who should act — the registry, the registrar, the hosting provider — and "
            "how quickly? What protects registrants from mistaken suspensions?"
        ),
    )
    services.issue_create(
        actor=s[17],
        process=process,
        title="Transparency reports from registries and registrars",
        body="Should registries and registrars publish the abuse reports they receive and act on?",
    )
    opening = services.comment_create(
        actor=s[2],
        issue=issue,
        body="Our ministry sees phishing campaigns move to a new domain within hours. "
        "A **48-hour** window is the longest we could accept.",
    )
    services.comment_create(
        actor=s[7],
        issue=issue,
        parent=opening,
        body="Registrars can act in 48 hours on *well-evidenced* reports, but we need a common "
        "evidence standard, or we end up judging content.",
    )
    services.comment_create(
        actor=s[13],
        issue=issue,
        body="Suspension hurts registrants who did nothing wrong when their site was hacked. "
        "There must be an appeal, and lawful content must stay out of scope.",
    )
    services.comment_create(
        actor=s[18],
        issue=issue,
        body="The RIRs and the ccTLD community already publish abuse statistics; a common "
        "reporting format would make them comparable.",
    )
    proposal = services.proposal_create(
        actor=people.facilitator,
        issue=issue,
        title="Principles for acting on DNS abuse",
        text=PROPOSAL_V1,
        plain_summary="Act on proven abuse within two days, suspend only as a last resort, and "
        "publish yearly what was done.",
    )
    services.version_publish(
        actor=people.facilitator,
        proposal=proposal,
        text=PROPOSAL_V2,
        change_summary="Added an appeal for registrants, feedback to reporters, a common report "
        "format, and an explicit exclusion of lawful content (from the discussion).",
        plain_summary="Act on proven abuse within two days and tell the reporter, suspend only as "
        "a last resort with a right to appeal, publish yearly in a common format, and never treat "
        "lawful content as abuse.",
    )
    services.comment_create(
        actor=s[22],
        issue=issue,
        version=proposal.versions.get(number=2),
        body="Version 2 answers the appeal concern. Who chooses the independent reviewer?",
    )
    return DemoProcess(process, issue, proposal)
