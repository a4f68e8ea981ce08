"""Participation support: the docs/design.md §4 queue order, grants within budget, declines,
notifications."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consensus import notifications as consensus_kinds
from consensus.balance import selectors as balance_selectors
from consensus.balance import services as balance_service
from consensus.balance import support as balance_support
from consensus.models import SupportKind, SupportRequest, SupportStatus
from deliberation import services as deliberation_services
from deliberation.models import Process, ProcessStatus
from record.models import AuditEvent
from stakeholders.models import Funding, Notification, StakeholderGroup
from tests.factories import (
    AffiliationFactory,
    ParticipationFactory,
    ProcessFactory,
    SupportRequestFactory,
    UserFactory,
)
from web.errors import StateConflict

pytestmark = pytest.mark.django_db

GOV, CIVIL, ACADEMIA = (
    StakeholderGroup.GOVERNMENT,
    StakeholderGroup.CIVIL_SOCIETY,
    StakeholderGroup.ACADEMIA,
)


@pytest.fixture
def process() -> Process:
    """Government (Kenya) made 6 of 8 contributions, civil society (Germany) 2, academia none.

    Ratios over 3 groups: government 2.25, civil society 0.75, academia 0; over 5 regions:
    Africa 3.75, Western Europe and others 1.25, the others 0.
    """
    process = ProcessFactory.create(expected_groups=[GOV, CIVIL, ACADEMIA], support_budget=1000)
    issue = deliberation_services.issue_create(
        actor=process.created_by, process=process, title="T", body="B"
    )
    for group, country, comments in ((GOV, "KE", 6), (CIVIL, "DE", 2)):
        user = UserFactory.create(country=country)
        hat = AffiliationFactory.create(user=user, primary=True, stakeholder_group=group)
        ParticipationFactory.create(process=process, user=user, affiliation=hat)
        for i in range(comments):
            deliberation_services.comment_create(actor=user, issue=issue, body=f"Point {i}")
    return process


def _request(process: Process, group: str, region: str, **fields: object) -> SupportRequest:
    return SupportRequestFactory.create(
        process=process, stakeholder_group=group, region=region, **fields
    )


def test_the_queue_follows_the_spec_priority_and_request_dates(process: Process) -> None:
    now = timezone.now()
    civil_late = _request(process, CIVIL, "western_europe_others", developing=False, created_at=now)
    academia = _request(
        process, ACADEMIA, "asia_pacific", developing=True, funding=Funding.UNFUNDED
    )
    government = _request(process, GOV, "africa", developing=True, funding=Funding.UNFUNDED)
    civil_early = _request(
        process,
        CIVIL,
        "western_europe_others",
        developing=False,
        created_at=now - timedelta(hours=1),
    )
    decided = _request(
        process,
        ACADEMIA,
        "asia_pacific",
        status=SupportStatus.DECLINED,
        decision_reason="Covered elsewhere",
    )
    dimensions = balance_service.balance_figures(process).dimensions

    queue = balance_support.support_queue(process, dimensions)

    assert [item.request for item in queue] == [
        academia,
        government,
        civil_early,
        civil_late,
        decided,
    ]
    priorities = {item.request.pk: item.priority for item in queue}
    assert priorities[academia.pk] == pytest.approx(1 / 0.05 + 1 / 0.05 + 1 + 1)
    assert priorities[government.pk] == pytest.approx(1 / 2.25 + 1 / 3.75 + 1 + 1)
    assert priorities[civil_early.pk] == pytest.approx(1 / 0.75 + 1 / 1.25)
    assert priorities[civil_late.pk] == priorities[civil_early.pk]


def test_a_request_carries_the_hat_worn_in_the_process(process: Process) -> None:
    user = UserFactory.create(country="BR", funding=Funding.UNFUNDED)
    AffiliationFactory.create(user=user, primary=True, stakeholder_group=GOV)
    worn = AffiliationFactory.create(user=user, stakeholder_group=ACADEMIA)
    ParticipationFactory.create(process=process, user=user, affiliation=worn)

    request = balance_support.support_request_create(
        actor=user,
        process=process,
        kind=SupportKind.CONNECTIVITY,
        description="  Data for online sessions ",
        amount_requested="120.50",
    )

    assert request.status == SupportStatus.REQUESTED
    assert request.description == "Data for online sessions"
    assert request.amount_requested == Decimal("120.50")
    assert (request.stakeholder_group, request.region, request.developing, request.funding) == (
        ACADEMIA,
        "latin_america_caribbean",
        True,
        Funding.UNFUNDED,
    )


@pytest.mark.parametrize(
    ("kind", "description", "amount", "field"),
    [
        ("lunch", "Food", "10", "kind"),
        (SupportKind.TRAVEL, "   ", "10", "description"),
        (SupportKind.TRAVEL, "Flight", "-1", "amount_requested"),
        (SupportKind.TRAVEL, "Flight", "ten", "amount_requested"),
        (SupportKind.TRAVEL, "Flight", "1.234", "amount_requested"),
    ],
)
def test_bad_requests_are_refused_field_by_field(
    process: Process, kind: str, description: str, amount: str, field: str
) -> None:
    member = ParticipationFactory.create(process=process).user

    with pytest.raises(ValidationError) as error:
        balance_support.support_request_create(
            actor=member,
            process=process,
            kind=kind,
            description=description,
            amount_requested=amount,
        )

    assert field in error.value.message_dict


def test_only_participants_of_an_open_process_ask(process: Process) -> None:
    outsider = UserFactory.create()
    with pytest.raises(PermissionError):
        balance_support.support_request_create(
            actor=outsider, process=process, kind="travel", description="x", amount_requested=1
        )
    member = ParticipationFactory.create(process=process).user
    process.status = ProcessStatus.CONCLUDED
    process.save()
    with pytest.raises(StateConflict):
        balance_support.support_request_create(
            actor=member, process=process, kind="travel", description="x", amount_requested=1
        )


def test_a_grant_spends_the_budget_tells_the_requester_and_goes_on_the_record(
    process: Process,
) -> None:
    request = _request(process, ACADEMIA, "africa", amount_requested=Decimal(700))
    facilitator = process.created_by

    granted = balance_support.support_request_grant(
        actor=facilitator, support_request=request, amount="600"
    )

    assert (granted.status, granted.amount_granted) == (SupportStatus.GRANTED, Decimal(600))
    assert granted.decided_by == facilitator
    assert balance_selectors.support_totals(process).remaining == Decimal(400)
    notification = Notification.objects.get(user=request.requester)
    assert notification.kind == consensus_kinds.SUPPORT
    assert notification.title == "Your request for travel support was granted: 600.00"
    event = AuditEvent.objects.get(action="support.grant")
    assert event.data == {
        "process": process.slug,
        "kind": "travel",
        "amount": "600.00",
        "stakeholder_group": ACADEMIA,
        "region": "africa",
    }
    assert event.actor == facilitator.pk


def test_granting_more_than_the_budget_left_is_refused(process: Process) -> None:
    first = _request(process, ACADEMIA, "africa", amount_requested=Decimal(700))
    second = _request(process, CIVIL, "africa", amount_requested=Decimal(500))
    balance_support.support_request_grant(
        actor=process.created_by, support_request=first, amount=Decimal(700)
    )

    with pytest.raises(ValidationError) as error:
        balance_support.support_request_grant(
            actor=process.created_by, support_request=second, amount=Decimal(301)
        )

    assert "300.00 left" in error.value.message_dict["amount"][0]
    second.refresh_from_db()
    assert second.status == SupportStatus.REQUESTED
    balance_support.support_request_grant(
        actor=process.created_by, support_request=second, amount=Decimal(300)
    )
    assert balance_selectors.support_totals(process).remaining == Decimal(0)


def test_granting_more_than_requested_is_refused(process: Process) -> None:
    request = _request(process, ACADEMIA, "africa", amount_requested=Decimal(100))

    with pytest.raises(ValidationError) as error:
        balance_support.support_request_grant(
            actor=process.created_by, support_request=request, amount=Decimal("100.01")
        )

    assert "amount" in error.value.message_dict


def test_a_decline_needs_a_reason_which_the_requester_reads(process: Process) -> None:
    request = _request(process, ACADEMIA, "africa")

    with pytest.raises(ValidationError) as error:
        balance_support.support_request_decline(
            actor=process.created_by, support_request=request, reason="  "
        )
    assert "reason" in error.value.message_dict

    declined = balance_support.support_request_decline(
        actor=process.created_by, support_request=request, reason="The meeting is online."
    )
    assert (declined.status, declined.decision_reason) == (
        SupportStatus.DECLINED,
        "The meeting is online.",
    )
    notification = Notification.objects.get(user=request.requester)
    assert notification.body == "The meeting is online."
    assert AuditEvent.objects.get(action="support.decline").data == {
        "process": process.slug,
        "kind": "travel",
        "stakeholder_group": ACADEMIA,
    }


def test_deciding_twice_is_a_conflict(process: Process) -> None:
    request = _request(process, ACADEMIA, "africa")
    balance_support.support_request_grant(
        actor=process.created_by, support_request=request, amount=Decimal(100)
    )

    with pytest.raises(StateConflict):
        balance_support.support_request_grant(
            actor=process.created_by, support_request=request, amount=Decimal(100)
        )
    with pytest.raises(StateConflict):
        balance_support.support_request_decline(
            actor=process.created_by, support_request=request, reason="No"
        )
    assert balance_selectors.support_totals(process).granted == Decimal(100)


def test_only_the_requester_withdraws_a_waiting_request(process: Process) -> None:
    request = _request(process, ACADEMIA, "africa")
    with pytest.raises(PermissionError):
        balance_support.support_request_withdraw(actor=process.created_by, support_request=request)

    withdrawn = balance_support.support_request_withdraw(
        actor=request.requester, support_request=request
    )

    assert withdrawn.status == SupportStatus.WITHDRAWN
    with pytest.raises(StateConflict):
        balance_support.support_request_withdraw(actor=request.requester, support_request=request)


def test_granted_totals_by_group_and_region(process: Process) -> None:
    for group, region, amount in (
        (ACADEMIA, "africa", 100),
        (ACADEMIA, "asia_pacific", 50),
        (CIVIL, "africa", 25),
    ):
        request = _request(process, group, region, amount_requested=Decimal(amount))
        balance_support.support_request_grant(
            actor=process.created_by, support_request=request, amount=Decimal(amount)
        )
    _request(process, GOV, "africa")

    totals = balance_selectors.support_totals(process)

    assert totals.by_group == {ACADEMIA: (2, Decimal(150)), CIVIL: (1, Decimal(25))}
    assert totals.by_region == {"africa": (2, Decimal(125)), "asia_pacific": (1, Decimal(50))}
    assert (totals.granted, totals.granted_count, totals.remaining) == (
        Decimal(175),
        3,
        Decimal(825),
    )
