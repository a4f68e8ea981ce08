"""How people appear on trust pages: by name, or by stakeholder group and region only."""

from typing import Any

import rules

from stakeholders.models import User
from stakeholders.presentation import public_name
from stakeholders.selectors import primary_hat
from trust.selectors import active_endorsement


def shown_name(user: User, viewer: Any) -> str:
    """The name `viewer` sees for `user`, honouring their attribution preference.

    Uses the `active_hats` prefetched by the trust selectors, so a list costs no query per person.
    """
    hat = primary_hat(user)
    return public_name(user, viewer=viewer, group=hat.stakeholder_group if hat else None)


def endorse_controls(viewer: Any, profile: User) -> dict[str, Any]:
    """What the endorse/withdraw buttons need: whether `viewer` may endorse `profile`, and their
    active endorsement of them (to withdraw), if any."""
    if not viewer.is_authenticated or viewer.pk == profile.pk:
        return {"can_endorse": False, "my_endorsement": None}
    mine = active_endorsement(viewer, profile)
    return {
        "can_endorse": mine is None and rules.has_perm("trust.endorse", viewer),
        "my_endorsement": mine,
    }
