"""Demo people for `seed_demo`: an admin, a facilitator and 30 stakeholders in 6 groups."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction

from stakeholders import services
from stakeholders.models import Attribution, Funding, StakeholderGroup, User

# Five per group, in the spec's order: s01–s05 government, s06–s10 private sector, …
GROUP_ORDER = [
    StakeholderGroup.GOVERNMENT,
    StakeholderGroup.PRIVATE_SECTOR,
    StakeholderGroup.CIVIL_SOCIETY,
    StakeholderGroup.TECHNICAL_COMMUNITY,
    StakeholderGroup.ACADEMIA,
    StakeholderGroup.INTERGOVERNMENTAL,
]
# One country per UN regional group and stakeholder group, so every group spans all five regions.
COUNTRIES = {
    "africa": ["KE", "NG", "SN", "ZA", "GH", "EG"],
    "asia_pacific": ["IN", "JP", "ID", "PH", "FJ", "LB"],
    "eastern_europe": ["PL", "UA", "RO", "EE", "GE", "RS"],
    "latin_america_caribbean": ["BR", "MX", "AR", "CL", "JM", "CO"],
    "western_europe_others": ["DE", "US", "FR", "CA", "SE", "AU"],
}
REGION_ORDER = list(COUNTRIES)
NAMES = [
    "Amina Odhiambo",
    "Kenji Watanabe",
    "Olena Kovalenko",
    "Lucía Fernández",
    "Hannah Becker",
    "Chinedu Okafor",
    "Priya Raman",
    "Tomasz Nowak",
    "Mateo Rojas",
    "Claire Dubois",
    "Fatou Diop",
    "Siti Rahmawati",
    "Ioana Popescu",
    "Diego Alvarez",
    "Erik Lindqvist",
    "Thabo Nkosi",
    "Maria Santos",
    "Kaur Tamm",
    "Camila Herrera",
    "Liam O'Connor",
    "Kwame Mensah",
    "Ana Vakaloloma",
    "Nino Beridze",
    "Andre Campbell",
    "Ingrid Svensson",
    "Mona Hassan",
    "Rami Khoury",
    "Milica Jovanović",
    "Valentina Ríos",
    "Grace Mitchell",
]
ORGANISATIONS = {
    StakeholderGroup.GOVERNMENT: "Ministry of Information and Communications Technology",
    StakeholderGroup.PRIVATE_SECTOR: "Internet Service Providers Association",
    StakeholderGroup.CIVIL_SOCIETY: "Digital Rights Coalition",
    StakeholderGroup.TECHNICAL_COMMUNITY: "Network Operators Group",
    StakeholderGroup.ACADEMIA: "Institute for Internet Policy Research",
    StakeholderGroup.INTERGOVERNMENTAL: "Regional Telecommunications Commission",
}
ROLES = {
    StakeholderGroup.GOVERNMENT: "Policy adviser",
    StakeholderGroup.PRIVATE_SECTOR: "Head of public policy",
    StakeholderGroup.CIVIL_SOCIETY: "Programme lead",
    StakeholderGroup.TECHNICAL_COMMUNITY: "Chair",
    StakeholderGroup.ACADEMIA: "Researcher",
    StakeholderGroup.INTERGOVERNMENTAL: "Programme officer",
}
FUNDING_CYCLE = [Funding.EMPLOYER_FUNDED, Funding.SELF_FUNDED, Funding.SPONSORED, Funding.UNFUNDED]
GENDER_CYCLE = ["woman", "man", "woman", "man", "non-binary"]


@dataclass(frozen=True)
class DemoPeople:
    admin: User
    facilitator: User
    stakeholders: list[User]


def _account(email: str, display_name: str, **fields: object) -> tuple[User, bool]:
    user, created = User.objects.get_or_create(
        email=email, defaults={"display_name": display_name, **fields}
    )
    if created:
        user.set_password(settings.DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, created


def _stakeholder_fields(index: int) -> tuple[StakeholderGroup, dict[str, object]]:
    group_index, within = divmod(index, 5)
    group = GROUP_ORDER[group_index]
    region = REGION_ORDER[(within + group_index) % 5]
    country = COUNTRIES[region][group_index]
    return group, {
        "country": country,
        "languages": ["en", "fr"]
        if region == "africa"
        else ["en", "es"]
        if region.startswith("latin")
        else ["en"],
        "funding": FUNDING_CYCLE[index % 4],
        "gender": GENDER_CYCLE[index % 5],
        # Two civil-society voices take part by group only (the "bubble effect" of docs/design.md
        # §1).
        "attribution": Attribution.GROUP_ONLY if index in (12, 13) else Attribution.NAMED,
    }


@transaction.atomic
def seed_people() -> DemoPeople:
    """Create the demo people where missing; existing accounts are left as their users left them."""
    # Every demo person has said how they are funded (a new account has not).
    admin, _created = _account(
        "admin@example.org",
        "Ada Admin",
        is_staff=True,
        is_superuser=True,
        country="CH",
        funding=Funding.SELF_FUNDED,
    )
    facilitator, created_facilitator = _account(
        "facilitator@example.org", "Femi Facilitator", country="GH", funding=Funding.SELF_FUNDED
    )
    if created_facilitator:
        services.role_set(actor=admin, user=facilitator, role="facilitator", granted=True)
        services.affiliation_verify(
            actor=admin,
            affiliation=services.affiliation_add(
                actor=facilitator,
                organisation="Footing Demo Secretariat",
                stakeholder_group=StakeholderGroup.TECHNICAL_COMMUNITY,
                role="Facilitator",
            ),
        )
    stakeholders = []
    for index, name in enumerate(NAMES):
        group, fields = _stakeholder_fields(index)
        user, created_user = _account(f"s{index + 1:02d}@example.org", name, **fields)
        if created_user:
            hat = services.affiliation_add(
                actor=user,
                organisation=ORGANISATIONS[group],
                stakeholder_group=group,
                role=ROLES[group],
                legitimacy_claim="The members and constituents of my organisation",
            )
            services.affiliation_verify(actor=admin, affiliation=hat)
        stakeholders.append(user)
    return DemoPeople(admin=admin, facilitator=facilitator, stakeholders=stakeholders)
