"""Moderation pages: reporting, the queue and case file, acting, appealing while suspended, the
public log — without JavaScript, with clear errors and a constant number of queries."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from stakeholders.models import User
from tests.consensus.conftest import make_scene
from tests.factories import (
    PASSWORD,
    CommentFactory,
    ModerationActionFactory,
    ModerationCaseFactory,
    UserFactory,
)
from trust.models import ActionKind, Appeal, Flag, ModerationAction, ModerationCase
from trust.moderation import services
from trust.moderation.compute import signals_compute

pytestmark = pytest.mark.django_db


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_reporting_a_comment_from_its_page(client: Client) -> None:
    comment = CommentFactory.create()
    process = comment.issue.process
    reporter = UserFactory.create()
    client.force_login(reporter)
    issue_page = client.get(f"/processes/{process.slug}/issues/{comment.issue.pk}/").content
    assert f"/report/comment/{comment.pk}/".encode() in issue_page
    back = f"/processes/{process.slug}/issues/{comment.issue.pk}/"
    form = client.get(f"/report/comment/{comment.pk}/", HTTP_REFERER=f"http://testserver{back}")
    assert form.status_code == 200 and b"a comment" in form.content
    assert "What you report:" in form.content.decode()
    assert comment.body[:20] in form.content.decode(), "the reporter sees what they report"
    empty = client.post(f"/report/comment/{comment.pk}/", {"reason": ""})
    assert empty.status_code == 400
    sent = client.post(
        f"/report/comment/{comment.pk}/",
        {"reason": "A personal attack", "next": f"http://testserver{back}"},
    )
    assert sent.status_code == 302 and sent["Location"].endswith(back), "back to what was reported"
    assert Flag.objects.get().subject == comment.author
    twice = client.post(f"/report/comment/{comment.pk}/", {"reason": "Again"})
    assert twice.status_code == 400 and b"already reported" in twice.content
    assert client.get("/report/planet/1/").status_code == 404
    unknown = client.post("/report/comment/999999/", {"reason": "x"})
    assert unknown.status_code == 400 and b"nothing of that kind" in unknown.content
    assert Flag.objects.count() == 1


def test_an_admin_acts_from_the_case_file() -> None:
    admin = UserFactory.create(is_staff=True)
    case = ModerationCaseFactory.create()
    services.flag_create(
        actor=UserFactory.create(), target_type="user", target_id=case.subject.pk, reason="Spam"
    )
    client = _signed_in(admin)
    queue = client.get("/moderation/").content.decode()
    assert f"/moderation/cases/{case.pk}/" in queue
    page = client.get(f"/moderation/cases/{case.pk}/").content.decode()
    assert "Spam" in page and 'name="kind"' in page and "Objections accommodated" in page
    refused = client.post(f"/moderation/cases/{case.pk}/", {"kind": "suspension", "reason": "x"})
    assert refused.status_code == 400 and b"1 to 30" in refused.content
    acted = client.post(
        f"/moderation/cases/{case.pk}/", {"kind": "public_warning", "reason": "Spam links"}
    )
    assert acted.status_code == 302
    assert ModerationAction.objects.get().kind == ActionKind.PUBLIC_WARNING
    closed = client.post(f"/moderation/cases/{case.pk}/", {"close": "1", "reason": "Warned"})
    assert closed.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"
    assert "Spam links" in Client().get("/moderation/log/").content.decode()


def test_a_suspended_user_signs_in_again_reads_appeals_and_cannot_vote() -> None:
    scene = make_scene()
    person = scene.person("government")
    round_ = scene.open_round()
    browser = _signed_in(person)
    admin, other_admin = UserFactory.create(is_staff=True), UserFactory.create(is_staff=True)
    case = ModerationCaseFactory.create(subject=person)
    action = services.action_take(
        actor=admin, case=case, kind="suspension", reason="Threats in comments", days=7
    )
    ended = browser.get("/me/profile/")
    assert ended.status_code == 302  # the session open at the suspension ended
    assert browser.login(email=person.email, password=PASSWORD)
    round_page = browser.get(f"/processes/{scene.process.slug}/rounds/{round_.pk}/")
    assert round_page.status_code == 200
    assert "Your account is suspended until" in round_page.content.decode()
    assert 'href="/me/moderation/"' in round_page.content.decode()
    mine = browser.get("/me/moderation/").content.decode()
    assert action.get_absolute_url() in mine
    refused = browser.post(
        f"/processes/{scene.process.slug}/rounds/{round_.pk}/ballot/",
        {"position": "support"},
    )
    assert refused.status_code == 403
    assert "you cannot post, cast ballots or report" in refused.content.decode()
    assert not round_.ballots.exists()
    page = browser.get(f"/moderation/actions/{action.pk}/").content.decode()
    assert "Threats in comments" in page and 'name="text"' in page
    appealed = browser.post(
        f"/moderation/actions/{action.pk}/", {"step": "appeal", "text": "I was quoted wrongly"}
    )
    assert appealed.status_code == 302
    assert Appeal.objects.get().appellant == person
    # The admin who acted cannot decide; another can, and the decision shows on the log.
    own = _signed_in(admin).post(
        f"/moderation/actions/{action.pk}/",
        {"step": "decide", "decision": "overturned", "reason": "x"},
    )
    assert own.status_code == 404
    decided = _signed_in(other_admin).post(
        f"/moderation/actions/{action.pk}/",
        {"step": "decide", "decision": "overturned", "reason": "The quote was someone else's"},
    )
    assert decided.status_code == 302
    person.refresh_from_db()
    assert not person.is_suspended
    log = Client().get("/moderation/log/").content.decode()
    assert "The quote was someone" in log


def test_a_ban_is_confirmed_from_the_action_page() -> None:
    first, second = UserFactory.create(is_staff=True), UserFactory.create(is_staff=True)
    case = ModerationCaseFactory.create()
    ban = services.action_take(actor=first, case=case, kind="ban", reason="Sock puppets")
    assert b"Confirm the ban" not in _signed_in(first).get(ban.get_absolute_url()).content
    assert b"Bans awaiting a second admin" in _signed_in(second).get("/moderation/").content
    answer = _signed_in(second).post(ban.get_absolute_url(), {"step": "confirm"})
    assert answer.status_code == 302
    case.subject.refresh_from_db()
    assert case.subject.banned_at is not None
    assert "Ban" in Client().get("/moderation/log/").content.decode()


def test_moderation_pages_run_a_constant_number_of_queries(
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    admin = UserFactory.create(is_staff=True)
    cases = [ModerationCaseFactory.create() for _ in range(60)]
    for case in cases:
        ModerationActionFactory.create(case=case, actor=admin)
        services.flag_create(
            actor=UserFactory.create(), target_type="user", target_id=case.subject.pk, reason="x"
        )
    signals_compute()
    client = _signed_in(admin)
    for url, limit in (
        ("/moderation/", 12),
        ("/moderation/signals/", 10),
        ("/moderation/signals/?all=1", 10),
        (f"/moderation/cases/{cases[0].pk}/", 14),
    ):
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200, url
    with django_assert_max_num_queries(6):
        assert Client().get("/moderation/log/").status_code == 200
    assert ModerationCase.objects.count() == 60


def test_the_restriction_page_explains_it() -> None:
    case = ModerationCaseFactory.create()
    admin = UserFactory.create(is_staff=True)
    action = services.action_take(
        actor=admin, case=case, kind="restriction", reason="Bad faith objections", days=10
    )
    page = _signed_in(case.subject).get(action.get_absolute_url()).content.decode()
    assert "acknowledges them" in page
    case.subject.refresh_from_db()
    assert case.subject.restricted_until is not None
    assert case.subject.restricted_until > timezone.now() + timedelta(days=9)


def test_a_decision_that_lost_a_race_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = UserFactory.create(is_staff=True), UserFactory.create(is_staff=True)
    case = ModerationCaseFactory.create()
    action = services.action_take(actor=first, case=case, kind="public_warning", reason="Spam")
    services.appeal_file(actor=case.subject, action=action, text="Not spam")

    def decided_meanwhile(**kwargs: object) -> None:
        raise ValidationError("This appeal was already decided.")

    monkeypatch.setattr(services, "appeal_decide", decided_meanwhile)
    answer = _signed_in(second).post(
        action.get_absolute_url(), {"step": "decide", "decision": "upheld", "reason": "Fine"}
    )
    assert answer.status_code == 400
    assert b"already decided" in answer.content


def test_my_decisions_list_only_mine_and_no_unconfirmed_ban() -> None:
    admin = UserFactory.create(is_staff=True)
    case = ModerationCaseFactory.create()
    warning = services.action_take(actor=admin, case=case, kind="public_warning", reason="Spam")
    ban = services.action_take(actor=admin, case=case, kind="ban", reason="Sock puppets")
    page = _signed_in(case.subject).get("/me/moderation/").content.decode()
    assert warning.get_absolute_url() in page
    assert ban.get_absolute_url() not in page
    other = _signed_in(UserFactory.create()).get("/me/moderation/").content.decode()
    assert "No moderation decision concerns you." in other
    assert Client().get("/me/moderation/").status_code == 302


def test_the_public_log_and_record_never_name_the_subject_of_a_private_warning() -> None:
    admin = UserFactory.create(is_staff=True)
    case = ModerationCaseFactory.create()
    services.action_take(actor=admin, case=case, kind="private_warning", reason="Tone it down")
    log = Client().get("/moderation/log/").content.decode()
    assert case.subject.display_name not in log
    assert "Tone it down" not in log
    assert "<bdi>1</bdi> note or private warning was given" in log
    record = Client().get("/record/").content.decode()
    assert case.subject.display_name not in record
