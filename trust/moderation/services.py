"""Every moderation write: flags, cases, the actions of the ladder, ban confirmation and appeals."""

from datetime import timedelta
from typing import Any

import rules
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from record.services import audit_append
from stakeholders.models import User
from stakeholders.services import notification_send, standing_restore, standing_set
from trust import notifications as trust_kinds
from trust.models import (
    TIMED_ACTIONS,
    ActionKind,
    Appeal,
    AppealDecision,
    CaseStatus,
    Flag,
    ModerationAction,
    ModerationCase,
)
from trust.moderation.targets import flag_target

# How long each timed action may last, in days (docs/design.md §6: a suspension at most 30).
MAX_DAYS = {ActionKind.RESTRICTION: 365, ActionKind.SUSPENSION: 30}
FLAGS_REASON = "flags"
SIGNAL_QUIET_DAYS = 30


def _require_admin(actor: User) -> None:
    if not rules.has_perm("stakeholders.administer", actor):
        raise PermissionError(_("Only an admin moderates."))


def flag_preview(*, actor: User, target_type: str, target_id: int) -> str | None:
    """The excerpt of what the actor is about to report (None when they may not see it)."""
    try:
        return flag_target(actor, target_type, target_id)[1]
    except ValidationError:
        return None


def _case_for(
    subject: User, reason: str, evidence: dict[str, Any] | None = None
) -> tuple[ModerationCase, bool]:
    """The subject's open case, opened if there is none, with `reason` (and its evidence) added.

    The partial unique constraint decides between two requests racing to open the same case.
    """
    now = timezone.now()
    for _attempt in range(2):
        case = (
            ModerationCase.objects.select_for_update()
            .filter(subject=subject, status=CaseStatus.OPEN)
            .first()
        )
        created = case is None
        if case is None:
            try:
                with transaction.atomic():
                    case = ModerationCase.objects.create(subject=subject, opened_at=now)
            except IntegrityError:
                continue
        if reason not in case.reasons:
            case.reasons = [*case.reasons, reason]
        if evidence is not None:
            case.evidence = {**case.evidence, reason: evidence}
        case.updated_at = now
        case.save(update_fields=["reasons", "evidence", "updated_at"])
        return case, created
    raise RuntimeError("a moderation case could not be opened")  # pragma: no cover


@transaction.atomic
def flag_create(*, actor: User, target_type: str, target_id: int, reason: str) -> Flag:
    """Report a comment, proposal, ballot rationale or user to the admins.

    Before: the actor can see the target, it is not theirs, and they have not reported it yet.
    After: the flag is stored and attached to the subject's open moderation case (opened if
    needed). Nothing about the subject changes: only an admin acts (docs/design.md §6).
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you report it.")})
    subject, excerpt = flag_target(actor, target_type, target_id)
    if subject.pk == actor.pk:
        raise ValidationError({"target_id": _("You cannot report yourself or what you wrote.")})
    flag = Flag(
        reporter=actor,
        target_type=target_type,
        target_id=target_id,
        subject=subject,
        reason=reason,
        excerpt=excerpt[:2000],
    )
    flag.full_clean(exclude=["case"], validate_constraints=False)
    try:
        with transaction.atomic():
            flag.save()
    except IntegrityError as error:
        raise ValidationError({"target_id": _("You have already reported this.")}) from error
    case, _created = _case_for(subject, FLAGS_REASON)
    flag.case = case
    flag.save(update_fields=["case"])
    # Who reported whom stays between the reporter and the admins: a private link of the chain.
    audit_append(
        actor=actor,
        action="flag.create",
        obj=flag,
        process=None,
        data={"target_type": target_type, "target_id": target_id, "case": case.pk},
        public=False,
    )
    return flag


def case_add_signal(*, subject: User, kind: str, evidence: dict[str, Any]) -> bool:
    """Put a signal at or above its threshold in the subject's case. Returns True if it opened one.

    Advisory only: this files the evidence for admins; it never changes what the subject may do.
    A signal an admin already weighed (in a case closed within SIGNAL_QUIET_DAYS) opens no new
    case, so a nightly run does not refile what was judged; it still joins a case already open.
    """
    recently_judged = ModerationCase.objects.filter(
        subject=subject,
        status=CaseStatus.CLOSED,
        closed_at__gte=timezone.now() - timedelta(days=SIGNAL_QUIET_DAYS),
        reasons__contains=[kind],
    ).exists()
    if (
        recently_judged
        and not ModerationCase.objects.filter(subject=subject, status=CaseStatus.OPEN).exists()
    ):
        return False
    case, created = _case_for(subject, kind, evidence)
    if created:
        audit_append(
            actor=None,
            action="case.open",
            obj=case,
            process=None,
            data={"reason": kind},
            public=False,
        )
    return created


def _ends_at(kind: str, days: int | None) -> Any:
    if kind not in TIMED_ACTIONS:
        return None
    limit = MAX_DAYS[ActionKind(kind)]
    if days is None or not 1 <= days <= limit:
        raise ValidationError(
            {
                "days": ngettext(
                    "Give a duration of %(limit)d day.",
                    "Give a duration from 1 to %(limit)d days.",
                    limit,
                )
                % {"limit": limit}
            }
        )
    return timezone.now() + timedelta(days=days)


def _notify(user: User, action: ModerationAction, title: str) -> None:
    notification_send(
        user=user,
        kind=trust_kinds.MODERATION,
        title=title,
        body=action.reason,
        url=action.get_absolute_url(),
    )


def _record(actor: User, action: ModerationAction, verb: str, **data: Any) -> None:
    """Every moderation step is on the record; a note or a private warning is a private link of
    the chain, so that it never names anyone in public (docs/design.md §6.8)."""
    payload = {"subject": action.subject_id, "kind": action.kind, **data}
    if not action.is_private:
        payload["reason"] = action.reason
    audit_append(
        actor=actor,
        action=f"moderation.{verb}",
        obj=action,
        process=None,
        people=[action.subject_id],
        data=payload,
        public=not action.is_private,
    )


@transaction.atomic
def action_take(
    *, actor: User, case: ModerationCase, kind: str, reason: str, days: int | None = None
) -> ModerationAction:
    """Take one step of the ladder in an open case.

    Before: the actor is an admin and not the case's subject; the reason is written; a restriction
    (≤ 365 days) or suspension (≤ 30 days) has a duration. After: the action is on the record and
    the subject is notified; a restriction or suspension takes effect now; a ban waits for a
    second admin's confirmation (`ban_confirm`).
    """
    _require_admin(actor)
    case = ModerationCase.objects.select_for_update().select_related("subject").get(pk=case.pk)
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("This case is closed."))
    if case.subject_id == actor.pk:
        raise ValidationError(_("You cannot moderate yourself."))
    if kind not in ActionKind.values:
        raise ValidationError({"kind": _("Choose a step of the ladder.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Every action needs a written reason.")})
    action = ModerationAction.objects.create(
        case=case,
        subject=case.subject,
        actor=actor,
        kind=kind,
        reason=reason,
        ends_at=_ends_at(kind, days),
    )
    if kind == ActionKind.RESTRICTION:
        standing_set(actor=actor, user=case.subject, level="restricted", until=action.ends_at)
    elif kind == ActionKind.SUSPENSION:
        standing_set(actor=actor, user=case.subject, level="suspended", until=action.ends_at)
    case.updated_at = action.created_at
    case.save(update_fields=["updated_at"])
    ends = action.ends_at.isoformat() if action.ends_at else None
    _record(actor, action, "action", ends_at=ends)
    if kind != ActionKind.BAN:
        _notify(
            case.subject,
            action,
            _("A moderation decision about you: %s") % action.get_kind_display(),
        )
    return action


@transaction.atomic
def ban_confirm(*, actor: User, action: ModerationAction) -> ModerationAction:
    """A second admin confirms a ban. After: the subject is banned and notified."""
    _require_admin(actor)
    action = (
        ModerationAction.objects.select_for_update().select_related("subject").get(pk=action.pk)
    )
    if not action.awaiting_confirmation:
        raise ValidationError(_("This action is not a ban awaiting confirmation."))
    if action.actor_id == actor.pk:
        raise ValidationError(_("A ban needs a second admin: another admin must confirm it."))
    action.confirmed_by = actor
    action.confirmed_at = timezone.now()
    action.save(update_fields=["confirmed_by", "confirmed_at"])
    standing_set(actor=actor, user=action.subject, level="banned")
    _record(actor, action, "ban_confirm")
    _notify(action.subject, action, _("A moderation decision about you: %s") % _("Ban"))
    return action


@transaction.atomic
def case_close(*, actor: User, case: ModerationCase, reason: str) -> ModerationCase:
    """Close a case with a written reason (e.g. "no action needed"); actions taken stay in force."""
    _require_admin(actor)
    case = ModerationCase.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("This case is already closed."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the case is closed.")})
    case.status = CaseStatus.CLOSED
    case.closed_at = case.updated_at = timezone.now()
    case.closed_by = actor
    case.closing_reason = reason
    case.save(update_fields=["status", "closed_at", "updated_at", "closed_by", "closing_reason"])
    audit_append(actor=actor, action="case.close", obj=case, process=None, public=False)
    return case


@transaction.atomic
def appeal_file(*, actor: User, action: ModerationAction, text: str) -> Appeal:
    """The subject appeals an action, once. A suspended or banned subject may still appeal.

    After: the appeal waits for an admin who took no part in the action (`appeal_decide`).
    """
    if action.subject_id != actor.pk:
        raise PermissionError(_("Only the person it concerns appeals an action."))
    if action.revoked_at is not None:
        raise ValidationError(_("This action was already lifted."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Say why the decision should change.")})
    appeal = Appeal(action=action, appellant=actor, text=text)
    try:
        with transaction.atomic():
            appeal.save()
    except IntegrityError as error:
        raise ValidationError(_("An action can be appealed once, and this one was.")) from error
    audit_append(
        actor=actor,
        action="moderation.appeal",
        obj=appeal,
        process=None,
        data={"action": action.pk, "kind": action.kind},
        public=not action.is_private,
    )
    return appeal


def standing_refresh(*, actor: User, user: User) -> None:
    """Set the user's standing to what the actions still in force say (after one is overturned)."""
    remaining = list(ModerationAction.objects.filter(subject=user).in_force())
    ends = {
        kind: max(
            (a.ends_at for a in remaining if a.kind == kind and a.ends_at is not None),
            default=None,
        )
        for kind in TIMED_ACTIONS
    }
    ban = next((a.confirmed_at for a in remaining if a.kind == ActionKind.BAN), None)
    standing_restore(
        actor=actor,
        user=user,
        restricted_until=ends[ActionKind.RESTRICTION],
        suspended_until=ends[ActionKind.SUSPENSION],
        banned_at=ban,
    )


@transaction.atomic
def appeal_decide(*, actor: User, appeal: Appeal, decision: str, reason: str) -> Appeal:
    """An admin who neither took nor confirmed the action decides the appeal, with a reason.

    After: `overturned` lifts the action (the subject's standing follows what remains in force);
    the appellant is notified and the decision is on the public record.
    """
    _require_admin(actor)
    appeal = Appeal.objects.select_for_update().select_related("action__subject").get(pk=appeal.pk)
    action = appeal.action
    if appeal.decided_at is not None:
        raise ValidationError(_("This appeal was already decided."))
    if actor.pk in (action.actor_id, action.confirmed_by_id):
        raise ValidationError(_("An appeal is decided by an admin who took no part in the action."))
    if decision not in AppealDecision.values:
        raise ValidationError({"decision": _("Uphold or overturn the action.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Every appeal gets a written answer.")})
    appeal.decision = decision
    appeal.decision_reason = reason
    appeal.decided_by = actor
    appeal.decided_at = timezone.now()
    appeal.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
    if decision == AppealDecision.OVERTURNED:
        action.revoked_at = appeal.decided_at
        action.save(update_fields=["revoked_at"])
        standing_refresh(actor=actor, user=action.subject)
    audit_append(
        actor=actor,
        action="moderation.appeal_decide",
        obj=appeal,
        process=None,
        people=[appeal.appellant_id],
        data={"action": action.pk, "decision": decision, "reason": reason},
        public=not action.is_private,
    )
    notification_send(
        user=appeal.appellant,
        kind=trust_kinds.MODERATION,
        title=_("Your appeal was decided: %s") % appeal.get_decision_display(),
        body=reason,
        url=action.get_absolute_url(),
    )
    return appeal
