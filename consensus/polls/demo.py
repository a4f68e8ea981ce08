"""The demo process's statement poll: statements on acting on DNS abuse, votes by the demo
stakeholders that form visible opinion groups, and the map computed at seed time. It is seeded
after the balance history, so that history stays as the discussion and the round left it."""

import numpy as np
from django.db import transaction

from consensus.polls import services
from consensus.polls.models import Poll, Statement
from deliberation.demo import DemoProcess
from stakeholders.demo import DemoPeople

TITLE = "Acting on DNS abuse: where do you stand?"
# Each statement with the stance of three camps — governments and intergovernmental
# organisations (regulate), the private sector and the technical community (keep it voluntary
# and technical), civil society and academia (rights and transparency first): +1 agree,
# −1 disagree, 0 mixed.
STATEMENTS: list[tuple[str, tuple[int, int, int]]] = [
    ("Registrars should suspend a domain within 48 hours of verified phishing.", (1, -1, 0)),
    ("A court order should be needed before any domain is suspended.", (-1, -1, 1)),
    ("Registries should publish how many abuse reports they act on.", (1, 0, 1)),
    ("Voluntary codes of conduct work better than regulation.", (-1, 1, 0)),
    ("Governments should be able to order suspensions directly.", (1, -1, -1)),
    ("Abuse reports should follow one common format.", (1, 1, 1)),
    ("Registrants must be told before their domain is suspended.", (-1, 0, 1)),
    ("Content on a website is not DNS abuse.", (-1, 1, 1)),
    ("Trusted notifiers should get faster handling.", (1, 1, -1)),
    ("ICANN contracts should set abuse-handling deadlines.", (1, -1, 0)),
    ("Malware and botnets are clear DNS abuse everyone should act on.", (1, 1, 1)),
    ("Small registrars need support to handle abuse reports.", (1, 1, 1)),
    ("Fees for domain registration should fund abuse handling.", (1, -1, 0)),
    ("Every suspension should be open to appeal.", (-1, 0, 1)),
    ("WHOIS data should be open to law enforcement without a request.", (1, -1, -1)),
    ("Privacy of registrants matters as much as fighting abuse.", (-1, 0, 1)),
    ("Bulk registrations should be checked more strictly.", (1, -1, 0)),
    ("Technical measures like DNSSEC do not solve abuse.", (0, 1, 0)),
    ("Researchers should get access to abuse data.", (0, -1, 1)),
    ("Abuse rates per registrar should be public.", (1, -1, 1)),
    ("The multistakeholder model is the right place to set these rules.", (0, 1, 1)),
    ("National laws should override ICANN policy on abuse.", (1, -1, -1)),
    ("Registrars that ignore abuse should lose accreditation.", (1, -1, 1)),
    ("Over-blocking harms free expression.", (-1, 1, 1)),
    ("Capacity building in developing regions should come first.", (1, 1, 1)),
    ("Automated takedowns without human review are acceptable.", (1, 1, -1)),
    ("Registries should share threat intelligence with each other.", (1, 1, 0)),
    ("Civil society should sit on abuse review panels.", (-1, -1, 1)),
    ("Anyone should be able to file an abuse report anonymously.", (0, -1, 1)),
    ("Clear definitions of DNS abuse must come before any new rules.", (1, 1, 1)),
]
WRITTEN = [  # statements the stakeholders submitted (index of the author in the demo list)
    (11, "Victims of abuse need a simple place to complain.", (1, 0, 1)),
    (7, "Registrar fees must not rise because of abuse handling.", (-1, 1, 0)),
]
REJECTED = (16, "Registrar X is run by criminals.", "Names a company without evidence.")
PENDING = (22, "Publish the abuse-handling budget of each registry.")
CAMP_OF_GROUP = {
    "government": 0,
    "intergovernmental": 0,
    "private_sector": 1,
    "technical_community": 1,
    "civil_society": 2,
    "academia": 2,
}


@transaction.atomic
def seed_poll(people: DemoPeople, demo: DemoProcess) -> Poll:
    """Create the demo poll once, with its votes and map; a second run changes nothing."""
    existing = Poll.objects.filter(process=demo.process, title=TITLE).first()
    if existing is not None:
        return existing
    facilitator = people.facilitator
    poll = services.poll_open(
        actor=facilitator,
        process=demo.process,
        title=TITLE,
        description=(
            "Agree, disagree or pass on each statement, and add your own. The opinion map "
            "shows the groups of people who vote alike, and the statements that bridge them."
        ),
        seed_statements=[text for text, _ in STATEMENTS],
    )
    stances = dict(STATEMENTS)
    for index, text, stance in WRITTEN:
        statement = services.statement_submit(
            actor=people.stakeholders[index], poll=poll, text=text
        )
        services.statement_accept(actor=facilitator, statement=statement)
        stances[text] = stance
    index, text, reason = REJECTED
    rejected = services.statement_submit(actor=people.stakeholders[index], poll=poll, text=text)
    services.statement_reject(actor=facilitator, statement=rejected, reason=reason)
    services.statement_submit(actor=people.stakeholders[PENDING[0]], poll=poll, text=PENDING[1])

    rng = np.random.default_rng(2026)
    statements = list(Statement.objects.filter(poll=poll, moderated=1).order_by("id"))
    # Nobody intergovernmental takes part in the demo (the balance page shows that absence).
    for person in people.stakeholders[:25]:
        hat = person.affiliations.order_by("-primary", "id").first()
        camp = CAMP_OF_GROUP.get(hat.stakeholder_group if hat else "", 2)
        for statement in statements:
            if rng.random() < 0.15:  # nobody votes on everything
                continue
            view = stances[statement.text][camp]
            roll = rng.random()
            if view == 0:
                vote = int(rng.choice([-1, 0, 1]))
            else:
                vote = view if roll < 0.8 else (0 if roll < 0.9 else -view)
            services.vote_cast(actor=person, statement=statement, value=vote)
    services.opinion_compute(poll=poll)
    return poll
