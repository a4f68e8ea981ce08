"""Balance and support pages: readable without JavaScript, forms that work, constant queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from consensus import selectors
from consensus.balance import services as balance_service
from consensus.balance import support as balance_support
from consensus.models import (
    BalanceSnapshot,
    Ballot,
    SnapshotTrigger,
    SupportRequest,
    SupportStatus,
)
from deliberation import services as deliberation_services
from deliberation.forms import ProcessForm
from deliberation.models import Comment, Visibility
from stakeholders.models import StakeholderGroup
from tests.consensus.balance_helpers import open_round
from tests.deliberation.conftest import Cast, make_cast
from tests.factories import (
    AffiliationFactory,
    BalanceSnapshotFactory,
    ParticipationFactory,
    SupportRequestFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast() -> Cast:
    """A public process where only civil society has spoken (the member's proposal)."""
    return make_cast()


def _balance(cast: Cast) -> str:
    return f"/processes/{cast.process.slug}/balance/"


def _support(cast: Cast) -> str:
    return f"/processes/{cast.process.slug}/support/"


def test_anyone_reads_the_balance_without_javascript(client: Client, cast: Cast) -> None:
    deliberation_services.comment_create(actor=cast.member, issue=cast.issue, body="A view")
    for _ in range(2):
        balance_service.balance_snapshot_create(
            actor=None, process=cast.process, trigger=SnapshotTrigger.ON_DEMAND
        )

    answer = client.get(_balance(cast))

    assert answer.status_code == 200
    page = answer.content.decode()
    assert "<script" not in page
    assert "style=" not in page
    assert "No government participant has taken part yet." in page
    assert "Civil society: 100% of the contributions counted here, more than half." in page
    assert '<svg class="line-chart"' in page
    assert page.count("<polyline") == 5, "one line per dimension with an index (gender has none)"
    assert "<caption>Balance index per dimension</caption>" in page
    assert "<caption>Balance index per dimension, one row per snapshot (oldest first)" in page
    assert "Share of contributions against a fair share: Stakeholder group" in page
    assert page.count('<svg class="bar"') == 6 + 5 + 2 + 4 + 2, "every expected category"
    assert "Take a snapshot now" not in page


def test_without_snapshots_the_page_says_the_figures_are_computed_now(
    client: Client, cast: Cast
) -> None:
    page = client.get(_balance(cast)).content.decode()

    assert "No snapshot is stored yet: these figures are computed now." in page
    assert '<svg class="line-chart"' not in page
    assert "No support has been granted yet." in page
    assert not BalanceSnapshot.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "outsider", "other_facilitator"])
def test_a_members_only_balance_is_404_for_others(client: Client, who: str) -> None:
    cast = make_cast(Visibility.MEMBERS)
    if who != "anonymous":
        client.force_login(getattr(cast, who))
    assert client.get(_balance(cast)).status_code == 404
    client.force_login(cast.member)
    assert client.get(_balance(cast)).status_code == 200


def test_a_facilitator_takes_a_snapshot_from_the_page(client: Client, cast: Cast) -> None:
    client.force_login(cast.member)
    assert client.post(f"{_balance(cast)}snapshot/").status_code == 404
    client.force_login(cast.facilitator)
    assert "Take a snapshot now" in client.get(_balance(cast)).content.decode()

    answer = client.post(f"{_balance(cast)}snapshot/", follow=True)

    assert answer.redirect_chain == [(_balance(cast), 302)]
    assert "A new balance snapshot was taken." in answer.content.decode()
    snapshot = BalanceSnapshot.objects.get()
    assert (snapshot.trigger, snapshot.taken_by) == (SnapshotTrigger.ON_DEMAND, cast.facilitator)


def _page_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_balance_page_runs_the_same_queries_with_hundreds_of_rows(
    client: Client, cast: Cast, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    cast.process.support_budget = Decimal(100000)
    cast.process.save()
    BalanceSnapshotFactory.create(process=cast.process)
    client.force_login(cast.facilitator)
    few = _page_queries(client, _balance(cast))

    people = [ParticipationFactory.create(process=cast.process) for _ in range(30)]
    Comment.objects.bulk_create(
        Comment(
            issue=cast.issue,
            author=people[n % 30].user,
            affiliation=people[n % 30].affiliation,
            body=f"Comment {n}",
        )
        for n in range(400)
    )
    BalanceSnapshotFactory.create_batch(150, process=cast.process)
    for n in range(60):
        request = SupportRequestFactory.create(
            process=cast.process,
            region=["africa", "asia_pacific", "eastern_europe"][n % 3],
            stakeholder_group=StakeholderGroup.values[n % 6],
        )
        balance_support.support_request_grant(
            actor=cast.facilitator, support_request=request, amount=Decimal(10)
        )
    balance_service.balance_snapshot_create(
        actor=None, process=cast.process, trigger=SnapshotTrigger.ON_DEMAND
    )

    with django_assert_max_num_queries(few):
        page = client.get(_balance(cast)).content.decode()
    assert "401 contributions by 31 people." in page
    # The latest 100 snapshots are plotted and tabulated: 99 made by the factory (a group index
    # only) and the real one (every index but gender's).
    assert page.count("<circle") == 99 + 5
    assert page.count("<td>Periodic</td>") == 99


def test_a_participant_asks_for_support_without_javascript(client: Client, cast: Cast) -> None:
    client.force_login(cast.member)
    assert "Ask for support" in client.get(_support(cast)).content.decode()

    bad = client.post(
        _support(cast), {"kind": "travel", "description": "A flight", "amount_requested": "-3"}
    )
    assert bad.status_code == 400
    assert "greater than or equal to 0" in bad.content.decode()

    answer = client.post(
        _support(cast),
        {
            "kind": "travel",
            "description": "A flight",
            "amount_requested": "350",
            "funding": "unfunded",
        },
        follow=True,
    )

    page = answer.content.decode()
    assert "Your request was sent to the facilitators of this process." in page
    assert "Waiting for a decision" in page
    request = cast.member.support_requests.get()
    assert (request.amount_requested, request.funding) == (Decimal(350), "unfunded")
    withdrawn = client.post(f"{_support(cast)}{request.pk}/withdraw/", follow=True)
    assert "Your request is withdrawn." in withdrawn.content.decode()
    request.refresh_from_db()
    assert request.status == SupportStatus.WITHDRAWN


def test_someone_who_has_not_joined_cannot_ask(client: Client, cast: Cast) -> None:
    assert client.get(_support(cast)).status_code == 302, "sign in first"
    client.force_login(cast.outsider)

    page = client.get(_support(cast)).content.decode()

    assert "Join this process while it is open to ask for participation support." in page
    assert 'name="amount_requested"' not in page
    answer = client.post(
        _support(cast), {"kind": "travel", "description": "x", "amount_requested": "1"}
    )
    assert answer.status_code == 404


def _members_request(cast: Cast, description: str, amount: int) -> SupportRequest:
    return balance_support.support_request_create(
        actor=cast.member,
        process=cast.process,
        kind="interpretation",
        description=description,
        amount_requested=Decimal(amount),
    )


def test_a_facilitator_grants_and_the_totals_move(client: Client, cast: Cast) -> None:
    cast.process.support_budget = Decimal(1000)
    cast.process.save()
    request = _members_request(cast, "French interpretation", 600)
    client.force_login(cast.facilitator)
    queue = client.get(_support(cast)).content.decode()
    assert f'name="r{request.pk}-amount"' in queue
    assert "French interpretation" in queue
    assert "No support has been granted yet." in client.get(_balance(cast)).content.decode()

    granted = client.post(
        f"{_support(cast)}{request.pk}/grant/", {f"r{request.pk}-amount": "450"}, follow=True
    )

    assert "The request is granted; the requester is told." in granted.content.decode()
    balance = client.get(_balance(cast)).content.decode()
    assert "granted <bdi>450.00</bdi> in <bdi>1</bdi> request;" in balance
    assert '<th scope="row">Civil society</th><td class="num">1</td>' in balance
    again = client.post(
        f"{_support(cast)}{request.pk}/grant/", {f"r{request.pk}-amount": "1"}, follow=True
    )
    assert "This request is already decided: Granted." in again.content.decode()


def test_decision_errors_show_on_the_form(client: Client, cast: Cast) -> None:
    request = _members_request(cast, "A stipend", 100)
    client.force_login(cast.member)
    assert client.post(f"{_support(cast)}{request.pk}/grant/", {}).status_code == 404
    client.force_login(cast.facilitator)

    over = client.post(f"{_support(cast)}{request.pk}/grant/", {f"r{request.pk}-amount": "50"})
    assert over.status_code == 400
    assert "The process&#x27;s support budget has 0.00 left" in over.content.decode()
    unexplained = client.post(
        f"{_support(cast)}{request.pk}/decline/", {f"r{request.pk}-reason": " "}
    )
    assert unexplained.status_code == 400
    assert "This field is required." in unexplained.content.decode()
    declined = client.post(
        f"{_support(cast)}{request.pk}/decline/",
        {f"r{request.pk}-reason": "Our budget is spent."},
        follow=True,
    )
    assert "The request is declined; the requester is told why." in declined.content.decode()
    assert client.post(f"{_support(cast)}999999/decline/").status_code == 404


def test_the_support_page_runs_a_constant_number_of_queries(client: Client, cast: Cast) -> None:
    client.force_login(cast.facilitator)
    SupportRequestFactory.create(process=cast.process)
    few = _page_queries(client, _support(cast))
    SupportRequestFactory.create_batch(40, process=cast.process)

    assert _page_queries(client, _support(cast)) == few


def test_the_process_page_links_to_balance_and_support(client: Client, cast: Cast) -> None:
    page = client.get(f"/processes/{cast.process.slug}/").content.decode()

    assert f'href="{_balance(cast)}"' in page
    assert f'href="{_support(cast)}"' in page


def test_facilitators_set_the_budget_on_the_process_form(client: Client, cast: Cast) -> None:
    client.force_login(cast.facilitator)
    edit = f"/processes/{cast.process.slug}/edit/"
    form = client.get(edit).content.decode()
    assert 'name="support_budget"' in form
    data = {
        name: value
        for name, value in model_to_dict(cast.process, fields=ProcessForm.Meta.fields).items()
        if name != "slug"
    }

    assert client.post(edit, {**data, "support_budget": "-5"}).status_code == 200
    assert client.post(edit, {**data, "support_budget": "750"}).status_code == 302

    cast.process.refresh_from_db()
    assert cast.process.support_budget == Decimal(750)


def test_the_close_warning_names_expected_groups_without_a_ballot(
    cast: Cast, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    round_ = open_round(cast.proposal.versions.get(), cast.facilitator)
    voter = UserFactory.create()
    hat = AffiliationFactory.create(user=voter, stakeholder_group=StakeholderGroup.GOVERNMENT)
    ParticipationFactory.create(process=cast.process, user=voter, affiliation=hat)
    Ballot.objects.create(
        round=round_,
        user=voter,
        affiliation=hat,
        stakeholder_group=StakeholderGroup.GOVERNMENT,
        position="support",
    )
    Ballot.objects.create(
        round=round_,
        user=cast.member,
        affiliation=cast.member.affiliations.get(),
        stakeholder_group=StakeholderGroup.ACADEMIA,
        position="object",
        rationale="Changed my mind",
        current=False,
    )

    with django_assert_num_queries(1):
        missing = selectors.expected_groups_without_ballot(round_)

    assert missing == [
        "private_sector",
        "civil_society",
        "technical_community",
        "academia",
        "intergovernmental",
    ]
    html = render_to_string("consensus/_close_warning.html", {"missing_groups": missing[:2]})
    assert "2 expected stakeholder groups have no ballot yet:" in html
    assert "<li>Private sector</li><li>Civil society</li>" in html
    assert 'role="alert"' in html
    assert render_to_string("consensus/_close_warning.html", {"missing_groups": []}).strip() == ""
