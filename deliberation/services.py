"""Every write in deliberation: processes, participation, issues, comments, proposals, glossary."""

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from deliberation import notifications as deliberation_kinds
from deliberation.models import (
    Comment,
    CommentRevision,
    GlossaryTerm,
    Issue,
    Participation,
    Process,
    ProcessStatus,
    Proposal,
    ProposalVersion,
    Resource,
)
from deliberation.selectors import may_read
from record.services import audit_append
from stakeholders.models import Affiliation, StakeholderGroup, User
from stakeholders.services import notification_send, notify_after_commit

PROCESS_FIELDS = (
    "title",
    "description",
    "expected_groups",
    "visibility",
    "status",
    "languages",
    "quorum_per_group",
    "group_support_min",
    "minority_max_share",
    "strong_support_mean",
    "challenge_days",
    "support_budget",
)
MENTION = re.compile(r"(?<![\w@])@([\w.+-]+@[\w-]+(?:\.[\w-]+)+)")


def _unique_slug(title: str) -> str:
    base = slugify(title)[:50] or "process"
    slug, n = base, 2
    while Process.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def process_create(*, actor: User, title: str, slug: str = "", **fields: Any) -> Process:
    """Create a process with the actor as its first facilitator; it is on the public record."""
    unknown = set(fields) - set(PROCESS_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown process fields: %s") % ", ".join(sorted(unknown)))
    fields.setdefault("expected_groups", list(StakeholderGroup.values))
    process = Process(title=title, slug=slug or _unique_slug(title), created_by=actor, **fields)
    process.full_clean()
    process.save()
    process.facilitators.add(actor)
    audit_append(
        actor=actor,
        action="process.create",
        obj=process,
        process=process,
        data={"slug": process.slug, "title": process.title, "visibility": process.visibility},
    )
    return process


@transaction.atomic
def process_update(*, actor: User, process: Process, **fields: Any) -> Process:
    """Change a process's description, status or consensus parameters; changes are recorded."""
    unknown = set(fields) - set(PROCESS_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown process fields: %s") % ", ".join(sorted(unknown)))
    changed = {k: v for k, v in fields.items() if getattr(process, k) != v}
    for name, value in changed.items():
        setattr(process, name, value)
    process.full_clean()
    process.save()
    if changed:
        audit_append(
            actor=actor,
            action="process.update",
            obj=process,
            process=process,
            # Amounts go on the record as text: JSON has no decimal type.
            data={
                k: str(v) if isinstance(v, Decimal) else v
                for k, v in changed.items()
                if k != "description"
            },
        )
    return process


@transaction.atomic
def process_archive(*, actor: User, process: Process) -> Process:
    """Archive (never delete) a process: it stays readable and stops taking contributions."""
    if process.archived_at is None:
        process.archived_at = timezone.now()
        if process.status == ProcessStatus.OPEN:
            process.status = ProcessStatus.CONCLUDED
        process.save(update_fields=["archived_at", "status"])
        audit_append(actor=actor, action="process.archive", obj=process, process=process)
    return process


def _own_active_hat(actor: User, affiliation: Affiliation | int | None) -> Affiliation:
    """The actor's active hat with this id (or their primary one), else a ValidationError."""
    hats = Affiliation.objects.active().filter(user=actor)
    if affiliation is None:
        hat = hats.filter(primary=True).first() or hats.order_by("id").first()
    else:
        pk = affiliation.pk if isinstance(affiliation, Affiliation) else affiliation
        hat = hats.filter(pk=pk).first()
    if hat is None:
        raise ValidationError(
            {"affiliation": _("Choose one of your own active hats (affiliations).")}
        )
    return hat


@transaction.atomic
def participation_join(
    *, actor: User, process: Process, affiliation: Affiliation | int | None = None
) -> Participation:
    """Join a process wearing one of the actor's hats; joining again changes the default hat."""
    hat = _own_active_hat(actor, affiliation)
    participation, created = Participation.objects.get_or_create(
        process=process, user=actor, defaults={"affiliation": hat}
    )
    if not created and participation.affiliation_id != hat.pk:
        participation.affiliation = hat
        participation.save(update_fields=["affiliation"])
    return participation


def participation_hat(
    *,
    actor: User,
    process: Process,
    affiliation: Affiliation | int | None,
    participation: Participation | None = None,
) -> Affiliation:
    """The hat a contribution is made with: the one named, else the process's default hat.

    A caller that already holds the actor's participation (with its hat) passes it along.
    """
    if affiliation is None:
        default = participation or (
            Participation.objects.filter(process=process, user=actor)
            .select_related("affiliation")
            .first()
        )
        if default is not None and default.affiliation.active:
            return default.affiliation
    return _own_active_hat(actor, affiliation)


@transaction.atomic
def issue_create(*, actor: User, process: Process, title: str, body: str) -> Issue:
    issue = Issue(process=process, title=title, body=body, created_by=actor)
    issue.full_clean()
    issue.save()
    return issue


@transaction.atomic
def issue_set_status(*, actor: User, issue: Issue, status: str) -> Issue:
    issue.status = status
    issue.full_clean()
    issue.save(update_fields=["status"])
    audit_append(actor=actor, action=f"issue.{status}", obj=issue, process=issue.process_id)
    return issue


def _mentioned_users(body: str, exclude: Iterable[int], process: Process) -> list[int]:
    """The ids of the people @mentioned by e-mail who may read the process: a mention never
    carries a members-only issue's title or text to anyone else (they are simply not notified)."""
    emails = {match.lower() for match in MENTION.findall(body)}
    if not emails:
        return []
    candidates = User.objects.filter(email__in=emails, is_active=True).exclude(pk__in=exclude)
    return [user.pk for user in candidates if may_read(user, process)]


@transaction.atomic
def comment_create(
    *,
    actor: User,
    issue: Issue,
    body: str,
    parent: Comment | None = None,
    version: ProposalVersion | None = None,
    affiliation: Affiliation | int | None = None,
    attribution: str | None = None,
) -> Comment:
    """Post a comment wearing one of the actor's hats.

    Before: the parent (if any) is on the same issue, the version (if any) belongs to a proposal of
    this issue. After: the parent's author and anyone @mentioned by e-mail are notified.
    """
    if parent is not None and parent.issue_id != issue.pk:
        raise ValidationError({"parent": _("You can only reply to a comment of the same issue.")})
    if version is not None and version.proposal.issue_id != issue.pk:
        raise ValidationError({"version": _("This version belongs to another issue.")})
    if parent is not None and version is None:
        version = parent.version
    hat = participation_hat(actor=actor, process=issue.process, affiliation=affiliation)
    comment = Comment(
        issue=issue,
        parent=parent,
        thread_root=(parent.thread_root or parent) if parent is not None else None,
        version=version,
        author=actor,
        affiliation=hat,
        body=body.strip(),
        attribution=attribution or actor.attribution,
    )
    comment.full_clean()
    comment.save()
    url = f"{issue.get_absolute_url()}#comment-{comment.pk}"
    notified = {actor.pk}
    if (
        parent is not None
        and parent.author_id not in notified
        and may_read(parent.author, issue.process)
    ):
        notification_send(
            user=parent.author,
            kind=deliberation_kinds.REPLY,
            title=_("New reply in “%s”") % issue.title,
            body=comment.body[:500],
            url=url,
        )
        notified.add(parent.author_id)
    notify_after_commit(
        recipients=_mentioned_users(comment.body, notified, issue.process),
        kind=deliberation_kinds.MENTION,
        title=_("You were mentioned in “%s”") % issue.title,
        body=comment.body[:500],
        url=url,
    )
    return comment


@transaction.atomic
def comment_edit(*, actor: User, comment: Comment, body: str) -> Comment:
    """Change a comment's text; the earlier text is kept as a revision."""
    if comment.author_id != actor.pk:
        raise PermissionError("Only the author edits a comment.")
    body = body.strip()
    if body == comment.body:
        return comment
    CommentRevision.objects.create(comment=comment, body=comment.body)
    comment.body = body
    comment.edited_at = timezone.now()
    comment.full_clean()
    comment.save(update_fields=["body", "edited_at"])
    return comment


@transaction.atomic
def proposal_create(
    *, actor: User, issue: Issue, title: str, text: str, plain_summary: str = ""
) -> Proposal:
    """Create a proposal and its version 1."""
    proposal = Proposal(issue=issue, title=title, created_by=actor)
    proposal.full_clean()
    proposal.save()
    version_publish(
        actor=actor,
        proposal=proposal,
        text=text,
        change_summary=_("First version"),
        plain_summary=plain_summary,
    )
    return proposal


@transaction.atomic
def version_publish(
    *, actor: User, proposal: Proposal, text: str, change_summary: str = "", plain_summary: str = ""
) -> ProposalVersion:
    """Publish the next numbered, immutable version and tell the process's participants."""
    Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
    latest = proposal.versions.aggregate(latest=Max("number"))["latest"] or 0
    version = ProposalVersion(
        proposal=proposal,
        number=latest + 1,
        text=text.strip(),
        change_summary=change_summary,
        plain_summary=plain_summary,
        created_by=actor,
    )
    version.full_clean()
    version.save()
    if version.number > 1:
        _announce_version(actor, version)
    return version


def _announce_version(actor: User, version: ProposalVersion) -> None:
    """Tell the process's other participants, in bulk once the version is committed."""
    process = version.proposal.issue.process
    notify_after_commit(
        recipients=Participation.objects.filter(process=process)
        .exclude(user=actor)
        .values_list("user_id", flat=True),
        kind=deliberation_kinds.NEW_VERSION,
        title=_("Version %(n)d of “%(title)s”")
        % {"n": version.number, "title": version.proposal.title},
        body=version.change_summary,
        url=version.get_absolute_url(),
    )


def glossary_term_save(
    *,
    actor: User,
    term: str,
    definitions: dict[str, str],
    aliases: Sequence[str] = (),
    instance: GlossaryTerm | None = None,
) -> GlossaryTerm:
    """Create or change a glossary term; aliases may not collide with another term's names."""
    entry = instance or GlossaryTerm()
    entry.term = term.strip()
    entry.aliases = sorted({a.strip() for a in aliases if a.strip()} - {entry.term})
    entry.definitions = {k: v.strip() for k, v in definitions.items() if v and v.strip()}
    if not entry.definitions.get("en"):
        raise ValidationError({"definitions": _("An English definition is required.")})
    names = {entry.term.lower(), *(a.lower() for a in entry.aliases)}
    for other in GlossaryTerm.objects.exclude(pk=entry.pk):
        clash = names & {other.term.lower(), *(a.lower() for a in other.aliases)}
        if clash:
            raise ValidationError(
                {
                    "aliases": _("“%(name)s” is already used by “%(term)s”.")
                    % {"name": sorted(clash)[0], "term": other.term}
                }
            )
    entry.full_clean()
    entry.save()
    return entry


def resource_save(*, actor: User, instance: Resource | None = None, **fields: Any) -> Resource:
    resource = instance or Resource()
    for name, value in fields.items():
        setattr(resource, name, value)
    resource.full_clean()
    resource.save()
    return resource
