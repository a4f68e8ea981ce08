"""What may be flagged (a comment, proposal, ballot rationale or person), whom it is about, and
where it lives."""

from collections.abc import Sequence
from dataclasses import dataclass

import rules
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from consensus.models import Ballot
from deliberation.models import Comment, CommentState, Proposal
from deliberation.selectors import comment_addresses
from stakeholders.models import User
from trust.models import (
    Flag,
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


@dataclass(frozen=True)
class Report:
    """A flag as a case file shows it: what was reported, linked to where it lives."""

    flag: Flag
    label: str
    url: str

    @property
    def scope(self) -> str:
        """Unique on the page, for the rendered texts' glossary annotations."""
        return f"report-{self.flag.pk}"


def _comment_links(ids: set[int]) -> dict[int, tuple[str, str]]:
    comments = list(Comment.objects.filter(pk__in=ids).select_related("issue__process"))
    addresses = comment_addresses(comments)
    return {
        c.pk: (_("a comment on “%(issue)s”") % {"issue": c.issue.title}, addresses[c.pk])
        for c in comments
    }


def _proposal_links(ids: set[int]) -> dict[int, tuple[str, str]]:
    return {
        p.pk: (_("the proposal “%(title)s”") % {"title": p.title}, p.get_absolute_url())
        for p in Proposal.objects.filter(pk__in=ids).select_related("issue__process")
    }


def _ballot_links(ids: set[int]) -> dict[int, tuple[str, str]]:
    return {
        b.pk: (
            _("a ballot rationale in the round on “%(title)s”")
            % {"title": b.round.version.proposal.title},
            b.round.get_absolute_url(),
        )
        for b in Ballot.objects.filter(pk__in=ids).select_related(
            "round__process", "round__version__proposal"
        )
    }


def _user_links(ids: set[int]) -> dict[int, tuple[str, str]]:
    return {
        pk: (_("the stakeholder’s profile"), reverse("stakeholders:profile", args=[pk]))
        for pk in User.objects.filter(pk__in=ids).values_list("pk", flat=True)
    }


_LINKS = {
    FlagTarget.COMMENT: _comment_links,
    FlagTarget.PROPOSAL: _proposal_links,
    FlagTarget.BALLOT: _ballot_links,
    FlagTarget.USER: _user_links,
}


def flag_reports(flags: Sequence[Flag]) -> list[Report]:
    """Each flag with what it reported, named (a comment by its issue's title) and linked to
    where it lives (a comment to its place in its thread): one query per kind of target.

    A target that no longer exists keeps the words the flag was filed with and no link.
    """
    wanted: dict[str, set[int]] = {}
    for flag in flags:
        wanted.setdefault(flag.target_type, set()).add(flag.target_id)
    found = {
        kind: _LINKS[FlagTarget(kind)](ids)
        for kind, ids in wanted.items()
        if kind in FlagTarget.values
    }
    reports = []
    for flag in flags:
        label, url = found.get(flag.target_type, {}).get(
            flag.target_id, (f"{flag.get_target_type_display()} #{flag.target_id}", "")
        )
        reports.append(Report(flag=flag, label=label, url=url))
    return reports
