"""How a stakeholder is named in public: by name, or by stakeholder group and region only."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stakeholders.models import Attribution, Region, StakeholderGroup, User
from stakeholders.rules import is_admin, is_site_facilitator

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


def sees_identity(
    viewer: User | AnonymousUser | None, user: User | int, *, facilitates: bool = False
) -> bool:
    """Whether `viewer` sees who `user` is regardless of their attribution preference: the one
    decision behind every name shown by group only, on pages, exports, the API and the record.

    The person themselves does; so do admins and site facilitators, and the facilitators of the
    process a contribution belongs to (`facilitates`, decided by `deliberation.rules`), each
    only with two-factor authentication where it is required (`mfa_satisfied`).
    """
    if viewer is None or not viewer.is_authenticated:
        return False
    if viewer.pk == (user if isinstance(user, int) else user.pk):
        return True
    return bool(facilitates or is_admin(viewer) or is_site_facilitator(viewer))


# What `public_name` reads of a person: a list of names needs these fields of the user row, no more.
NAME_FIELDS = ("id", "display_name", "attribution", "country")


def public_name(
    user: User,
    *,
    viewer: User | AnonymousUser | None,
    group: str | None,
    attribution: str | None = None,
    facilitates: bool = False,
) -> str:
    """The name `viewer` sees for `user`, honouring the contribution's or the user's attribution
    (`facilitates`: the viewer facilitates the process of the contribution, see sees_identity)."""
    chosen = attribution or user.attribution
    if chosen == Attribution.NAMED or sees_identity(viewer, user, facilitates=facilitates):
        return user.display_name or _("Stakeholder #%d") % user.pk
    return group_region_label(group, user.region)


def public_face(user: User, *, group: str | None, attribution: str | None = None) -> str:
    """What the public (anyone not signed in) sees for `user` on a contribution: `public_name`
    for no viewer, so that a person can be told it without being shown something else."""
    return public_name(user, viewer=None, group=group, attribution=attribution)


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
