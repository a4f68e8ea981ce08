"""Participation support: the queue by under-representation, and requests and their decisions."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consensus import notifications as consensus_kinds
from consensus.balance import selectors as balance_selectors
from consensus.balance.compute import (
    order_support_queue,
    support_priority,
)
from consensus.models import (
    SupportRequest,
    SupportStatus,
)
from deliberation.models import Participation, Process
from record.services import audit_append
from stakeholders.models import Funding, User
from stakeholders.services import notification_send
from web.errors import StateConflict


@dataclass(frozen=True)
class QueueItem:
    """A support request with its priority (docs/design.md §4) against the process's current
    balance."""

    request: SupportRequest
    priority: float


def _ratio(dimensions: Mapping[str, Any], dimension: str, category: str) -> float:
    categories = dimensions.get(dimension, {}).get("categories", {})
    return float(categories.get(category, {}).get("ratio", 0.0))


def request_priority(request: SupportRequest, dimensions: Mapping[str, Any]) -> float:
    """docs/design.md §4's priority from the requester's group, region, economy and funding at
    request time, and the representation ratios of the given balance (a category absent from
    it: 0)."""
    return support_priority(
        r_group=_ratio(dimensions, "stakeholder_group", request.stakeholder_group),
        r_region=_ratio(dimensions, "region", request.region or "unknown"),
        developing=bool(request.developing),
        unfunded=request.funding == Funding.UNFUNDED,
    )


def support_queue(process: Process, dimensions: Mapping[str, Any]) -> list[QueueItem]:
    """Every request of a process for the facilitators: the ones waiting for a decision first,
    highest priority first (ties by request date), then the decided ones, newest first."""
    requests = list(balance_selectors.support_requests(process))
    pending = [
        QueueItem(r, request_priority(r, dimensions))
        for r in requests
        if r.status == SupportStatus.REQUESTED
    ]
    decided = [
        QueueItem(r, request_priority(r, dimensions))
        for r in reversed(requests)
        if r.status != SupportStatus.REQUESTED
    ]
    return order_support_queue(pending, key=lambda i: (i.priority, i.request.created_at)) + decided


def _amount(value: Any, field: str) -> Decimal:
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter an amount, e.g. 250 or 250.50.")}) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError({field: _("Enter an amount of zero or more.")})
    if amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("1e10"):
        raise ValidationError({field: _("Enter at most 10 digits and 2 decimal places.")})
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def support_request_create(
    *,
    actor: User,
    process: Process,
    kind: str,
    description: str,
    amount_requested: Decimal | str | int,
    funding: str = "",
) -> SupportRequest:
    """A participant asks for support in an open process.

    Before: the actor takes part in the process; their funding is given (`funding`) or stated on
    their profile — never assumed. After: a request waiting for a decision, which carries the
    group of the hat the actor wears in the process, their region, economy and funding as they
    are now, so its priority never moves when a profile is edited later.
    """
    if not process.is_open:
        raise StateConflict(_("This process is not open; it takes no support requests."))
    participation = (
        Participation.objects.filter(process=process, user=actor)
        .select_related("affiliation")
        .first()
    )
    if participation is None:
        raise PermissionError(_("Join the process before you ask for participation support."))
    funding = funding or actor.funding
    if not funding:
        raise ValidationError(
            {"funding": _("Say how your participation is funded (one of the four answers).")}
        )
    request = SupportRequest(
        process=process,
        requester=actor,
        kind=kind,
        description=description.strip(),
        amount_requested=_amount(amount_requested, "amount_requested"),
        stakeholder_group=participation.affiliation.stakeholder_group,
        region=actor.region or "",
        developing=actor.developing,
        funding=funding,
    )
    request.full_clean(exclude=["process", "requester"])
    request.save()
    return request


def _locked_request(support_request: SupportRequest) -> tuple[SupportRequest, Process]:
    """Lock the process row (grants in one process are serialised on it), then the request."""
    process = Process.objects.select_for_update().get(pk=support_request.process_id)
    locked = (
        SupportRequest.objects.select_for_update(of=("self",))
        .select_related("requester")
        .get(pk=support_request.pk)
    )
    locked.process = process
    if locked.status != SupportStatus.REQUESTED:
        raise StateConflict(_("This request is already decided: %s.") % locked.get_status_display())
    return locked, process


def _record_decision(
    request: SupportRequest,
    *,
    actor: User,
    status: str,
    changes: dict[str, Any],
    public: dict[str, Any],
    title: str,
    body: str = "",
) -> SupportRequest:
    """Save a facilitator's decision, put it on the public record (the process, the kind of
    support and the stakeholder group, with ``public`` beside them; never who asked or what
    for), and tell the requester."""
    for name, value in changes.items():
        setattr(request, name, value)
    request.status = status
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at", *changes])
    verb = "grant" if status == SupportStatus.GRANTED else "decline"
    audit_append(
        actor=actor,
        action=f"support.{verb}",
        obj=request,
        process=request.process_id,
        data={
            "process": request.process.slug,
            "kind": request.kind,
            "stakeholder_group": request.stakeholder_group,
            **public,
        },
    )
    notification_send(
        user=request.requester,
        kind=consensus_kinds.SUPPORT,
        title=title,
        body=body,
        url=request.get_absolute_url(),
    )
    return request


@transaction.atomic
def support_request_grant(
    *, actor: User, support_request: SupportRequest, amount: Decimal | str | int
) -> SupportRequest:
    """A facilitator grants a request from the process's budget.

    Before: the request waits for a decision (else StateConflict); ``0 <= amount <=`` the amount
    requested and the budget left (else ValidationError). After: granted with that amount, on the
    public record (without the requester's name or needs), and the requester is told. Grants in
    one process are serialised on its row, so two grants never overspend the budget together.
    """
    request, process = _locked_request(support_request)
    granted = _amount(amount, "amount")
    if granted > request.amount_requested:
        raise ValidationError(
            {"amount": _("Grant at most the amount requested (%s).") % request.amount_requested}
        )
    remaining = balance_selectors.support_totals(process).remaining
    if granted > remaining:
        raise ValidationError(
            {
                "amount": _(
                    "The process's support budget has %(remaining)s left; "
                    "%(amount)s is more than that."
                )
                % {"remaining": remaining, "amount": granted}
            }
        )
    return _record_decision(
        request,
        actor=actor,
        status=SupportStatus.GRANTED,
        changes={"amount_granted": granted},
        public={"amount": str(granted), "region": request.region},
        title=_("Your request for %(kind)s support was granted: %(amount)s")
        % {"kind": request.get_kind_display().lower(), "amount": granted},
    )


@transaction.atomic
def support_request_decline(
    *, actor: User, support_request: SupportRequest, reason: str
) -> SupportRequest:
    """A facilitator declines a request, saying why; the requester is told the reason.

    Before: the request waits for a decision (else StateConflict) and the reason is not empty
    (else ValidationError). After: declined, on the record without the reason (it may speak of
    the requester's needs), which only the requester and facilitators read.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the request is declined.")})
    request, _process = _locked_request(support_request)
    return _record_decision(
        request,
        actor=actor,
        status=SupportStatus.DECLINED,
        changes={"decision_reason": reason},
        public={},
        title=_("Your request for %(kind)s support was declined")
        % {"kind": request.get_kind_display().lower()},
        body=reason,
    )


@transaction.atomic
def support_request_withdraw(*, actor: User, support_request: SupportRequest) -> SupportRequest:
    """The requester withdraws a request that waits for a decision."""
    if support_request.requester_id != actor.pk:
        raise PermissionError(_("Only the requester may withdraw a support request."))
    request, _process = _locked_request(support_request)
    request.status = SupportStatus.WITHDRAWN
    request.save(update_fields=["status"])
    return request
