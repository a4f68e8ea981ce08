"""Who may do what in moderation; non-admins never learn that a case or signal exists (404)."""

from typing import Any

import rules

from stakeholders.models import User
from stakeholders.rules import is_admin, may_act
from trust.models import Appeal, ModerationAction


def _action_of(obj: Any) -> ModerationAction | None:
    if isinstance(obj, ModerationAction):
        return obj
    if isinstance(obj, Appeal):
        return obj.action
    return None


@rules.predicate
def is_subject(user: User, obj: Any) -> bool:
    action = _action_of(obj)
    return bool(action is not None and user.is_authenticated and action.subject_id == user.pk)


@rules.predicate
def took_part(user: User, obj: Any) -> bool:
    """The admin who took the action, or who confirmed it (a ban)."""
    action = _action_of(obj)
    return action is not None and user.pk in (action.actor_id, action.confirmed_by_id)


@rules.predicate
def appealable(user: User, obj: Any) -> bool:
    action = _action_of(obj)
    return bool(
        action is not None
        and action.revoked_at is None
        and not Appeal.objects.filter(action_id=action.pk).exists()
    )


@rules.predicate
def awaiting_confirmation(user: User, obj: Any) -> bool:
    action = _action_of(obj)
    return action is not None and action.awaiting_confirmation


@rules.predicate
def undecided(user: User, obj: Any) -> bool:
    return isinstance(obj, Appeal) and obj.decided_at is None


moderates = may_act & is_admin
rules.add_perm("trust.moderate", moderates)
rules.add_perm("trust.flag", may_act)
rules.add_perm("trust.view_action", is_subject | moderates)
# A suspended or banned subject may still appeal: due process outlasts the sanction.
rules.add_perm("trust.appeal", rules.is_active & is_subject & appealable)
rules.add_perm("trust.confirm_ban", moderates & awaiting_confirmation & ~took_part)
rules.add_perm("trust.decide_appeal", moderates & undecided & ~took_part)
