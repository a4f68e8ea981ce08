"""How a stakeholder is named in public: by name, or by stakeholder group and region only."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stakeholders.models import Attribution, Region, StakeholderGroup, User

# Whole phrases, not "A {group} participant", so each language can get its grammar right.
PARTICIPANT = {
    StakeholderGroup.GOVERNMENT: gettext_lazy("A government participant"),
    StakeholderGroup.PRIVATE_SECTOR: gettext_lazy("A private-sector participant"),
    StakeholderGroup.CIVIL_SOCIETY: gettext_lazy("A civil society participant"),
    StakeholderGroup.TECHNICAL_COMMUNITY: gettext_lazy("A technical community participant"),
    StakeholderGroup.ACADEMIA: gettext_lazy("An academic participant"),
    StakeholderGroup.INTERGOVERNMENTAL: gettext_lazy("An intergovernmental participant"),
}


def group_region_label(group: str | None, region: str | None) -> str:
    """'A civil society participant from Africa' — the public face of a group-only contribution."""
    participant = PARTICIPANT[StakeholderGroup(group)] if group else _("A participant")
    if region:
        return _("%(participant)s from %(region)s") % {
            "participant": participant,
            "region": Region(region).label,
        }
    return str(participant)


def sees_identity(viewer: User | AnonymousUser | None, user: User) -> bool:
    """Whether `viewer` sees who `user` is regardless of their attribution preference.

    The person themselves, admins and site facilitators do; processes widen this to their own
    facilitators when they render contributions.
    """
    if viewer is None or not viewer.is_authenticated:
        return False
    return viewer.pk == user.pk or viewer.is_staff or viewer.is_facilitator


def public_name(
    user: User,
    *,
    viewer: User | AnonymousUser | None,
    group: str | None,
    attribution: str | None = None,
    reveal: bool = False,
) -> str:
    """The name `viewer` sees for `user`, honouring the contribution's or the user's attribution."""
    chosen = attribution or user.attribution
    if chosen == Attribution.NAMED or reveal or sees_identity(viewer, user):
        return user.display_name or _("Stakeholder #%d") % user.pk
    return group_region_label(group, user.region)


ECONOMY = {
    "developing": gettext_lazy("Developing economies"),
    "developed": gettext_lazy("Developed economies"),
    "unknown": gettext_lazy("Not stated"),
}


def category_label(key: str) -> str:
    """The readable name of a stakeholder group, UN region or economy code."""
    if key in StakeholderGroup.values:
        return str(StakeholderGroup(key).label)
    if key in Region.values:
        return str(Region(key).label)
    return str(ECONOMY.get(key, key))
