"""Pages of trust: the trust page, endorsing, commitments, attesting, replying, the staff page."""

from datetime import timedelta

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.template import RequestContext, Template
from django.test import Client, RequestFactory
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings

from deliberation.models import Visibility
from stakeholders.models import Attribution, User
from tests.factories import (
    AffiliationFactory,
    AttestationFactory,
    CommitmentFactory,
    EndorsementFactory,
    ParticipationFactory,
    ProcessFactory,
    UserFactory,
)
from trust.models import Attestation, Commitment, Endorsement, TrustComputation, Verdict
from trust.scores import trust_compute
from trust.selectors import visible_processes

pytestmark = pytest.mark.django_db


def _signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def _page(answer: object) -> str:
    return answer.content.decode()  # type: ignore[attr-defined]


def test_trust_page_explains_every_component(client: Client) -> None:
    author, attester, endorser = UserFactory.create_batch(3)
    AffiliationFactory.create(user=endorser, verified_at=timezone.now())
    EndorsementFactory.create(from_user=endorser, to_user=author, note="Always delivers")
    commitment = CommitmentFactory.create(
        author=author, due_on=timezone.localdate() - timedelta(days=2)
    )
    AttestationFactory.create(commitment=commitment, attester=attester, verdict=Verdict.KEPT)
    never = _page(client.get(f"/stakeholders/{author.pk}/trust/"))
    assert "has not been computed" in never
    trust_compute()

    answer = client.get(f"/stakeholders/{author.pk}/trust/")
    assert answer.status_code == 200
    html = _page(answer)
    for text in (
        "never weighs a ballot",
        "Endorsement trust",
        "Percentile",
        "times the trust of an average stakeholder",
        "Trust starts with the 1 stakeholder whose hat an admin has verified",
        "Commitment record",
        "1 in all: 1 kept, 0 partly kept, 0 broken",
        "(weighted sum + 1) ÷ (total weight + 2)",
        "Tenure",
        "Processes taken part in",
        "Computed on",
        "Always delivers",
        commitment.text,
    ):
        assert text in html, text
    assert "<script" not in html and "style=" not in html


def test_profile_shows_the_trust_summary_and_the_endorse_button(client: Client, user: User) -> None:
    other = UserFactory.create()
    AffiliationFactory.create(user=other, primary=True)
    anonymous = _page(client.get(f"/stakeholders/{other.pk}/"))
    assert "Trust is informational" in anonymous and "Endorsed by 0 stakeholders" in anonymous
    assert "Latest commitments" not in anonymous
    promise = CommitmentFactory.create(author=other, text="We will publish the charter.")
    listed = _page(client.get(f"/stakeholders/{other.pk}/"))
    assert "Latest commitments" in listed and f'href="/commitments/{promise.pk}/"' in listed
    assert "I trust this stakeholder" not in anonymous

    _signed_in(client, user)
    page = _page(client.get(f"/stakeholders/{other.pk}/"))
    assert "I trust this stakeholder's good faith" in page
    assert f'action="/stakeholders/{other.pk}/endorse/"' in page
    own = _page(client.get(f"/stakeholders/{user.pk}/"))
    assert "I trust this stakeholder" not in own, "nobody endorses themselves"


def test_endorse_and_withdraw_from_the_profile(client: Client, user: User) -> None:
    other = UserFactory.create()
    _signed_in(client, user)
    profile = f"/stakeholders/{other.pk}/"
    answer = client.post(
        f"/stakeholders/{other.pk}/endorse/", {"note": "Fair broker", "next": profile}
    )
    assert answer.status_code == 302 and answer["Location"] == profile
    endorsement = Endorsement.objects.get(from_user=user, to_user=other)
    assert endorsement.note == "Fair broker"
    page = _page(client.get(profile))
    assert "Withdraw my endorsement" in page and "Endorsed by 1 stakeholder." in page

    twice = client.post(f"/stakeholders/{other.pk}/endorse/", {"next": profile}, follow=True)
    assert "You already endorse this stakeholder" in _page(twice)
    myself = client.post(f"/stakeholders/{user.pk}/endorse/", follow=True)
    assert twice.status_code == myself.status_code == 200
    assert "You cannot endorse yourself" in _page(myself)
    too_long = client.post(f"/stakeholders/{other.pk}/endorse/", {"note": "x" * 501}, follow=True)
    assert "at most 500" in _page(too_long)

    away = client.post(
        f"/endorsements/{endorsement.pk}/withdraw/", {"next": "https://evil.example/"}
    )
    assert away["Location"] == f"/stakeholders/{other.pk}/trust/", "no open redirect"
    endorsement.refresh_from_db()
    assert endorsement.withdrawn_at is not None
    again = client.post(f"/endorsements/{endorsement.pk}/withdraw/", follow=True)
    assert "already withdrawn" in _page(again)


def test_who_endorses_me_respects_attribution(client: Client, user: User) -> None:
    hidden = UserFactory.create(display_name="Secret Person", attribution=Attribution.GROUP_ONLY)
    AffiliationFactory.create(user=hidden, primary=True)
    named = UserFactory.create(display_name="Open Person")
    EndorsementFactory.create(from_user=hidden, to_user=user)
    EndorsementFactory.create(from_user=named, to_user=user)
    public = _page(client.get(f"/stakeholders/{user.pk}/trust/"))
    assert "Open Person" in public
    assert "Secret Person" not in public
    assert "A civil society participant from Africa" in public


def test_make_a_commitment_with_the_form(client: Client, user: User) -> None:
    process = ProcessFactory.create(title="Root zone forum")
    ParticipationFactory.create(process=process, user=user)
    ProcessFactory.create(title="Somebody else's forum")
    _signed_in(client, user)
    form = _page(client.get(f"/commitments/new/?process={process.slug}"))
    assert "Root zone forum" in form and "Somebody else" not in form
    assert 'type="date"' in form and '<label for="id_text">' in form

    due = timezone.localdate() + timedelta(days=20)
    answer = client.post(
        "/commitments/new/",
        {"text": "We will publish the draft", "due_on": due.isoformat(), "process": process.slug},
    )
    commitment = Commitment.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/commitments/{commitment.pk}/"
    assert (commitment.author, commitment.process, commitment.due_on) == (user, process, due)

    past = client.post(
        "/commitments/new/",
        {"text": "Too late", "due_on": (due - timedelta(days=40)).isoformat()},
    )
    assert past.status_code == 200
    assert "cannot be due in the past" in _page(past) and 'role="alert"' in _page(past)
    stranger = ProcessFactory.create()
    foreign = client.post(
        "/commitments/new/", {"text": "X", "due_on": due.isoformat(), "process": stranger.slug}
    )
    assert foreign.status_code == 200 and "valid choice" in _page(foreign)
    assert Commitment.objects.count() == 1


def test_attest_through_the_page_and_the_author_replies(client: Client, user: User) -> None:
    commitment = CommitmentFactory.create(due_on=timezone.localdate())
    url = f"/commitments/{commitment.pk}/"
    assert "Sign in to attest" in _page(client.get(url))
    _signed_in(client, user)
    page = _page(client.get(url))
    assert "Was it kept?" in page and 'value="partly"' in page

    missing = client.post(url, {"verdict": "kept", "evidence": ""})
    assert missing.status_code == 200 and "This field is required" in _page(missing)
    answer = client.post(url, {"verdict": "partly", "evidence": "Only half is online."})
    assert answer.status_code == 302
    attestation = Attestation.objects.get()
    assert (attestation.attester, attestation.verdict) == (user, "partly")
    twice = client.post(url, {"verdict": "kept", "evidence": "Now all of it."})
    assert twice.status_code == 200 and "already attested" in _page(twice)
    assert "You have attested this commitment" in _page(client.get(url))

    reply_url = f"/attestations/{attestation.pk}/reply/"
    assert client.post(reply_url, {"reply": "Not mine to answer"}).status_code == 404
    author = Client()
    _signed_in(author, commitment.author)
    assert "Publish reply" in _page(author.get(url))
    assert "Was it kept?" in _page(author.get(url))
    assert "This is your commitment" in _page(author.get(url))
    author.post(reply_url, {"reply": "The rest follows next week."})
    attestation.refresh_from_db()
    assert attestation.reply == "The rest follows next week."
    again = author.post(reply_url, {"reply": "Again"}, follow=True)
    assert "already replied" in _page(again)
    assert "Publish reply" not in _page(author.get(url))


def test_own_and_not_yet_due_commitments_offer_no_form(client: Client, user: User) -> None:
    own = CommitmentFactory.create(author=user)
    later = CommitmentFactory.create(due_on=timezone.localdate() + timedelta(days=5))
    _signed_in(client, user)
    assert "This is your commitment" in _page(client.get(f"/commitments/{own.pk}/"))
    refused = client.post(f"/commitments/{own.pk}/", {"verdict": "kept", "evidence": "Me"})
    assert refused.status_code == 200 and "your own commitment" in _page(refused)
    early = client.post(f"/commitments/{later.pk}/", {"verdict": "kept", "evidence": "Soon"})
    assert early.status_code == 200 and "not due until" in _page(early)
    assert "Attestations open when the commitment falls due" in _page(
        client.get(f"/commitments/{later.pk}/")
    )
    assert not Attestation.objects.exists()


def test_commitment_list_filters_and_hides_members_only_processes(
    client: Client, user: User
) -> None:
    public = ProcessFactory.create()
    hidden = ProcessFactory.create(visibility=Visibility.MEMBERS)
    in_public = CommitmentFactory.create(process=public, text="Public promise")
    in_hidden = CommitmentFactory.create(process=hidden, text="Members promise")
    free = CommitmentFactory.create(author=user, text="Free promise")

    everything = _page(client.get("/commitments/"))
    assert "Public promise" in everything and "Free promise" in everything
    assert "Members promise" not in everything
    filtered = _page(client.get(f"/commitments/?process={public.slug}"))
    assert "Public promise" in filtered and "Free promise" not in filtered
    assert client.get(f"/commitments/?process={hidden.slug}").status_code == 404
    assert client.get("/commitments/?process=nope").status_code == 404
    assert client.get(f"/commitments/{in_hidden.pk}/").status_code == 404
    mine = _page(client.get(f"/commitments/?author={user.pk}"))
    assert "Free promise" in mine and "Public promise" not in mine
    assert client.get("/commitments/?author=abc").status_code == 404

    member = ParticipationFactory.create(process=hidden).user
    _signed_in(client, member)
    assert "Members promise" in _page(client.get(f"/commitments/?process={hidden.slug}"))
    assert client.get(f"/commitments/{in_hidden.pk}/").status_code == 200
    assert in_public.pk and free.pk


# --- who may do what ------------------------------------------------------------------------------

ROLES = ["anonymous", "stakeholder", "other", "admin"]


def _client_as(role: str, owner: User, admin: User) -> Client:
    client = Client()
    if role == "stakeholder":
        client.force_login(owner)
    elif role == "other":
        client.force_login(UserFactory.create())
    elif role == "admin":
        client.force_login(admin)
    return client


# For each action: the answer and whether it took effect, per role. `stakeholder` owns the
# endorsement being withdrawn and the commitment whose attestation is answered.
PERMISSIONS = {
    "withdraw": {
        "anonymous": (302, False),
        "stakeholder": (302, True),
        "other": (404, False),
        "admin": (404, False),
    },
    "reply": {
        "anonymous": (302, False),
        "stakeholder": (302, True),
        "other": (404, False),
        "admin": (404, False),
    },
    "endorse": {
        "anonymous": (302, False),
        "stakeholder": (302, True),
        "other": (302, True),
        "admin": (302, True),
    },
    "recompute": {
        "anonymous": (302, False),
        "stakeholder": (404, False),
        "other": (404, False),
        "admin": (302, True),
    },
}


@pytest.mark.parametrize("role", ROLES)
def test_permission_table(role: str, user: User, admin_user: User) -> None:
    client = _client_as(role, user, admin_user)
    target = UserFactory.create()
    endorsement = EndorsementFactory.create(from_user=user, to_user=target)
    attestation = AttestationFactory.create(commitment__author=user)
    signed_in = role != "anonymous"

    pages = {
        "/commitments/": 200,
        f"/commitments/{attestation.commitment_id}/": 200,
        f"/stakeholders/{target.pk}/trust/": 200,
        "/commitments/new/": 200 if signed_in else 302,
        "/staff/trust/": {"anonymous": 302, "admin": 200}.get(role, 404),
    }
    for url, status in pages.items():
        assert client.get(url).status_code == status, (role, url)

    def took_effect(action: str) -> bool:
        if action == "withdraw":
            endorsement.refresh_from_db()
            return endorsement.withdrawn_at is not None
        if action == "reply":
            attestation.refresh_from_db()
            return attestation.reply == "Thanks"
        if action == "endorse":
            return Endorsement.objects.filter(to_user=target).count() == 2
        return TrustComputation.objects.exists()

    requests = {
        "withdraw": (f"/endorsements/{endorsement.pk}/withdraw/", {}),
        "reply": (f"/attestations/{attestation.pk}/reply/", {"reply": "Thanks"}),
        "endorse": (f"/stakeholders/{target.pk}/endorse/", {}),
        "recompute": ("/staff/trust/", {}),
    }
    for action, (url, data) in requests.items():
        status, effect = PERMISSIONS[action][role]
        answer = client.post(url, data)
        assert (answer.status_code, took_effect(action)) == (status, effect), (role, action)
        if status == 302 and not signed_in:
            assert answer["Location"].startswith("/accounts/login/")


def test_other_users_cannot_withdraw_an_endorsement(client: Client, user: User) -> None:
    endorsement = EndorsementFactory.create()
    _signed_in(client, user)
    assert client.post(f"/endorsements/{endorsement.pk}/withdraw/").status_code == 404
    assert client.post("/endorsements/999999/withdraw/").status_code == 404
    assert Endorsement.objects.get(pk=endorsement.pk).active


def test_admin_recomputes_from_the_staff_page(client: Client, admin_user: User) -> None:
    UserFactory.create_batch(3)
    _signed_in(client, admin_user)
    assert "Trust has not been computed yet" in _page(client.get("/staff/trust/"))
    done = client.post("/staff/trust/", follow=True)
    assert "Trust recomputed for 4 stakeholders" in _page(done)
    page = _page(client.get("/staff/trust/"))
    assert "an admin, on demand" in page and admin_user.email in page
    back = client.post("/staff/trust/", {"next": f"/stakeholders/{admin_user.pk}/trust/"})
    assert back["Location"] == f"/stakeholders/{admin_user.pk}/trust/"
    assert "Recompute trust now" in _page(client.get(back["Location"]))


# --- query counts ---------------------------------------------------------------------------------


def test_pages_run_a_constant_number_of_queries(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    star = UserFactory.create()
    AffiliationFactory.create(user=star, primary=True)
    busy = CommitmentFactory.create(author=star)
    for _ in range(60):
        fan = UserFactory.create()
        AffiliationFactory.create(user=fan, primary=True)
        EndorsementFactory.create(from_user=fan, to_user=star)
        EndorsementFactory.create(from_user=star, to_user=fan)
        CommitmentFactory.create(author=fan)
        CommitmentFactory.create(author=star)
        AttestationFactory.create(commitment=busy, attester=fan)
    trust_compute()
    pages = (
        (f"/stakeholders/{star.pk}/trust/", 13),
        (f"/stakeholders/{star.pk}/", 8),
        ("/commitments/", 3),
        (f"/commitments/{busy.pk}/", 4),
    )
    for url, limit in pages:
        with django_assert_max_num_queries(limit):
            answer = client.get(url)
        assert answer.status_code == 200, url
    _signed_in(client, star)  # the author: a reply form for every attestation
    for url, limit in pages:
        with django_assert_max_num_queries(limit + 4):
            answer = client.get(url)
        assert answer.status_code == 200, url
    assert _page(answer).count("Publish reply") == 60
    assert "Page 1 of 3" in _page(client.get("/commitments/"))


@pytest.mark.parametrize("require_mfa", [False, True])
def test_visibility_in_sql_matches_the_view_process_rule(
    settings: Settings, require_mfa: bool
) -> None:
    settings.REQUIRE_STAFF_MFA = require_mfa
    public = ProcessFactory.create()
    hidden = ProcessFactory.create(visibility=Visibility.MEMBERS)
    member = ParticipationFactory.create(process=hidden).user
    viewers: list[User | AnonymousUser] = [
        AnonymousUser(),
        UserFactory.create(),
        member,
        hidden.created_by,  # its facilitator: needs TOTP to act as such where that is required
        UserFactory.create(is_staff=True),
    ]
    for viewer in viewers:
        in_sql = set(visible_processes(viewer))
        by_rule = {
            p for p in (public, hidden) if rules.has_perm("deliberation.view_process", viewer, p)
        }
        assert in_sql == by_rule, viewer


def test_process_commitments_tag(rf: RequestFactory, user: User) -> None:
    process = ProcessFactory.create(title="Root zone forum")
    hidden = ProcessFactory.create(visibility=Visibility.MEMBERS)
    CommitmentFactory.create(process=process, text="Publish the charter")
    CommitmentFactory.create(process=hidden, text="Members only promise")
    for _ in range(11):
        CommitmentFactory.create(process=process)
    template = Template("{% load trust_tags %}{% process_commitments process %}")

    def render(viewer: object, shown: object) -> str:
        request = rf.get("/")
        request.user = viewer  # type: ignore[assignment]
        return template.render(RequestContext(request, {"process": shown}))

    html = render(AnonymousUser(), process)
    assert "<caption>Commitments made in this process</caption>" in html
    assert "Publish the charter" not in html, "the ten latest, newest due date first"
    assert f'href="/commitments/?process={process.slug}">All 12 commitments' in html
    assert "Make a commitment in this process" not in html
    signed_in = render(user, process)
    assert f'href="/commitments/new/?process={process.slug}"' in signed_in
    assert "Members only promise" not in render(user, hidden)
    assert "No commitment has been made in this process yet." in render(user, hidden)


def test_ids_out_of_range_are_not_found(client: Client) -> None:
    huge = "9" * 30
    for url in (
        f"/commitments/?author={huge}",
        f"/stakeholders/{huge}/trust/",
        f"/commitments/{huge}/",
    ):
        assert client.get(url).status_code == 404, url
