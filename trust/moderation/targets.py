"""What may be flagged (a comment, proposal, ballot rationale or person), and whom it is about."""

import rules
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from consensus.models import Ballot
from deliberation.models import Comment, CommentState, Proposal
from stakeholders.models import User
from trust.models import (
    FlagTarget,
)


def _comment(actor: User, pk: int) -> tuple[User, str] | None:
    comment = (
        Comment.objects.select_related("author", "issue__process")
        .filter(pk=pk, state=CommentState.VISIBLE)
        .first()
    )
    if comment and rules.has_perm("deliberation.view_process", actor, comment.issue.process):
        return comment.author, comment.body
    return None


def _proposal(actor: User, pk: int) -> tuple[User, str] | None:
    proposal = Proposal.objects.select_related("created_by", "issue__process").filter(pk=pk).first()
    if proposal and rules.has_perm("deliberation.view_process", actor, proposal.issue.process):
        return proposal.created_by, proposal.title
    return None


def _ballot(actor: User, pk: int) -> tuple[User, str] | None:
    ballot = (
        Ballot.objects.select_related("user", "round__process")
        .filter(pk=pk)
        .exclude(rationale="")
        .first()
    )
    if ballot and rules.has_perm("consensus.view_round", actor, ballot.round):
        return ballot.user, ballot.rationale
    return None


def _user(actor: User, pk: int) -> tuple[User, str] | None:
    user = User.objects.filter(pk=pk, is_active=True).first()
    return (user, "") if user else None


# What a report can be about: each finds the thing's author and an excerpt, if the actor sees it.
_TARGETS = {
    FlagTarget.COMMENT: _comment,
    FlagTarget.PROPOSAL: _proposal,
    FlagTarget.BALLOT: _ballot,
    FlagTarget.USER: _user,
}


def flag_target(actor: User, target_type: str, target_id: int) -> tuple[User, str]:
    """The user a reported thing belongs to, and an excerpt; 400 for what the actor cannot see."""
    find = _TARGETS.get(FlagTarget(target_type)) if target_type in FlagTarget.values else None
    if find is None:
        raise ValidationError(
            {"target_type": _("Report a comment, a proposal, a ballot rationale or a stakeholder.")}
        )
    found = find(actor, target_id)
    if found is None:
        raise ValidationError({"target_id": _("There is nothing of that kind to report here.")})
    return found
