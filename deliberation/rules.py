"""Who may read and write in processes; the one rule set shared by pages and the API."""

from typing import Any

import rules

from deliberation.models import Issue, Process, Visibility
from stakeholders.models import User
from stakeholders.presentation import sees_identity
from stakeholders.rules import is_admin, is_site_facilitator, may_act, mfa_satisfied

# Each object leads to its process through one of these attributes (an issue has a process, a
# comment or proposal an issue, a version a proposal); a higher floor whose objects lead there
# another way adds its attribute with `lead_to_process` from its AppConfig.ready(), so
# deliberation needs to know nothing of the floors above it.
_PATH_TO_PROCESS = ["process", "issue", "proposal"]


def lead_to_process(*attributes: str) -> None:
    """Also follow `attributes` (after those already known) to find an object's process."""
    _PATH_TO_PROCESS.extend(name for name in attributes if name not in _PATH_TO_PROCESS)


def process_of(obj: Any) -> Process | None:
    """The process an object belongs to, or None."""
    if obj is None or isinstance(obj, Process):
        return obj
    for attribute in _PATH_TO_PROCESS:
        if hasattr(obj, attribute):
            return process_of(getattr(obj, attribute))
    return None


@rules.predicate
def facilitates(user: User, obj: Any) -> bool:
    """A facilitator of the object's process (acting as such needs TOTP where it is required)."""
    process = process_of(obj)
    return bool(
        process is not None
        and user.is_authenticated
        and user.pk in process.facilitator_ids
        and mfa_satisfied(user)
    )


def sees_identity_in(viewer: Any, person: User | int, obj: Any) -> bool:
    """`sees_identity` for a contribution to the object's process: its facilitators see who
    spoke, as admins and site facilitators do (each with two-factor where it is required)."""
    return sees_identity(viewer, person, facilitates=bool(facilitates(viewer, obj)))


@rules.predicate
def participates(user: User, obj: Any) -> bool:
    process = process_of(obj)
    if process is None or not user.is_authenticated:
        return False
    cache = getattr(process, "_participant_cache", None)
    if cache is None:
        cache = process._participant_cache = {}  # type: ignore[attr-defined]
    if user.pk not in cache:
        cache[user.pk] = process.participations.filter(user=user).exists()
    return bool(cache[user.pk])


@rules.predicate
def is_public(user: User, obj: Any) -> bool:
    process = process_of(obj)
    return process is not None and process.visibility == Visibility.PUBLIC


@rules.predicate
def process_is_open(user: User, obj: Any) -> bool:
    process = process_of(obj)
    return process is not None and process.is_open


@rules.predicate
def issue_is_open(user: User, obj: Any) -> bool:
    issue = obj if isinstance(obj, Issue) else getattr(obj, "issue", None)
    return issue is not None and issue.status == "open"


@rules.predicate
def authored(user: User, obj: Any) -> bool:
    for field in ("author_id", "created_by_id"):
        if getattr(obj, field, None) is not None:
            return bool(getattr(obj, field) == user.pk)
    return False


is_member = participates | facilitates
can_view = is_public | is_member | is_admin
can_take_part = may_act & is_member & process_is_open

rules.add_perm("deliberation.view_process", can_view)
rules.add_perm("deliberation.add_process", may_act & is_site_facilitator)
rules.add_perm("deliberation.change_process", may_act & (facilitates | is_admin))
# Joining again changes the hat a participant wears by default.
rules.add_perm("deliberation.join_process", may_act & can_view & process_is_open)
rules.add_perm("deliberation.add_issue", can_take_part)
rules.add_perm("deliberation.change_issue", may_act & (facilitates | is_admin))
rules.add_perm("deliberation.add_comment", can_take_part & issue_is_open)
rules.add_perm("deliberation.change_comment", may_act & authored & process_is_open)
rules.add_perm("deliberation.add_proposal", can_take_part)
rules.add_perm(
    "deliberation.add_version", may_act & process_is_open & ((is_member & authored) | facilitates)
)
# Invitations (deliberation/invitations/): facilitators invite and revoke; whoever holds an
# invitation's link may accept it, even into a members-only process they cannot read yet. Whether
# the process and the invitation still take it is the service's answer (409), said in words.
runs_process = facilitates | is_admin
rules.add_perm("deliberation.view_invitations", runs_process)
rules.add_perm("deliberation.invite", may_act & runs_process)
rules.add_perm("deliberation.revoke_invitation", may_act & runs_process)
rules.add_perm("deliberation.accept_invitation", may_act)
rules.add_perm("deliberation.manage_glossary", may_act & is_site_facilitator)
rules.add_perm("deliberation.manage_resources", may_act & is_site_facilitator)
