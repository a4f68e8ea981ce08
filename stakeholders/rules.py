"""Who may do what with stakeholders' data; the one rule set shared by pages and the API."""

import rules
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings

from stakeholders.models import Affiliation, User

MFA_CACHE = "_footing_mfa_enabled"


@rules.predicate
def mfa_satisfied(user: User) -> bool:
    """Staff and facilitators act or see as such only once TOTP is set up (docs/design.md §8,
    REQUIRE_STAFF_MFA): every privileged decision, read or write, goes through this predicate.

    Remembered on the user object, so a page that decides it for every row asks the database
    once per request; enrolment and removal forget it (stakeholders.credentials).
    """
    if not settings.REQUIRE_STAFF_MFA:
        return True
    if not user.is_authenticated:
        return False
    known = getattr(user, MFA_CACHE, None)
    if known is None:
        known = is_mfa_enabled(user)
        setattr(user, MFA_CACHE, known)
    return bool(known)


@rules.predicate
def has_staff_flag(user: User) -> bool:
    return bool(user.is_authenticated and user.is_staff)


@rules.predicate
def has_facilitator_flag(user: User) -> bool:
    return bool(user.is_authenticated and user.is_facilitator)


@rules.predicate
def owns_affiliation(user: User, affiliation: Affiliation | None) -> bool:
    return affiliation is not None and affiliation.user_id == user.pk


is_admin = has_staff_flag & mfa_satisfied
is_site_facilitator = (has_facilitator_flag | has_staff_flag) & mfa_satisfied

rules.add_perm("stakeholders.administer", is_admin)
rules.add_perm("stakeholders.verify_affiliation", is_admin)
rules.add_perm("stakeholders.reject_affiliation", is_admin)
rules.add_perm("stakeholders.grant_role", is_admin)
rules.add_perm("stakeholders.change_affiliation", rules.is_authenticated & owns_affiliation)
rules.add_perm("stakeholders.facilitate", is_site_facilitator)


def needs_mfa_setup(user: User) -> bool:
    """True for a staff member or facilitator who must set up TOTP before acting as such."""
    return bool(
        settings.REQUIRE_STAFF_MFA
        and user.is_authenticated
        and (user.is_staff or user.is_facilitator)
        and not is_mfa_enabled(user)
    )


@rules.predicate
def may_act(user: User) -> bool:
    """Whether the user may write anything at all: signed in, and not suspended or banned."""
    return bool(user.is_authenticated and user.is_active and not user.is_suspended)
