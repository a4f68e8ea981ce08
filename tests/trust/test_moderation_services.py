"""Moderation services: flags open cases, the ladder with written reasons, bans by two admins,
one appeal decided by another admin, standing enforced, every step on the record and notified."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consensus import services as consensus
from record.models import AuditEvent
from stakeholders.models import Notification, User
from tests.consensus.conftest import make_scene
from tests.factories import CommentFactory, ModerationCaseFactory, UserFactory
from trust.models import ActionKind, Appeal, CaseStatus, Flag, ModerationAction, ModerationCase
from trust.moderation import services
from trust.moderation.compute import EVIDENCE_ITEMS_MAX, bounded

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins() -> tuple[User, User, User]:
    return tuple(UserFactory.create(is_staff=True) for _ in range(3))  # type: ignore[return-value]


def test_a_flag_opens_one_case_per_person_and_changes_nothing_else() -> None:
    comment = CommentFactory.create()
    first, second = UserFactory.create(), UserFactory.create()
    flag = services.flag_create(
        actor=first, target_type="comment", target_id=comment.pk, reason="Insults"
    )
    assert flag.subject == comment.author
    assert flag.excerpt == comment.body
    services.flag_create(actor=second, target_type="user", target_id=comment.author.pk, reason="x")
    case = ModerationCase.objects.get()
    assert case.subject == comment.author and case.reasons == ["flags"]
    assert case.flags.count() == 2
    comment.author.refresh_from_db()
    assert not comment.author.is_suspended and not comment.author.is_restricted
    assert not ModerationAction.objects.exists()
    event = AuditEvent.objects.get(action="flag.create", data__target_id=comment.pk)
    assert event.public is False


@pytest.mark.parametrize(
    ("target_type", "reason", "field"),
    [("comment", "Spam", "target_id"), ("essay", "Spam", "target_type"), ("user", " ", "reason")],
)
def test_bad_flags_are_refused(target_type: str, reason: str, field: str) -> None:
    with pytest.raises(ValidationError) as error:
        services.flag_create(
            actor=UserFactory.create(), target_type=target_type, target_id=999999, reason=reason
        )
    assert field in error.value.message_dict
    assert not Flag.objects.exists()


def test_nobody_reports_themselves_or_twice() -> None:
    comment = CommentFactory.create()
    with pytest.raises(ValidationError, match="yourself"):
        services.flag_create(
            actor=comment.author, target_type="comment", target_id=comment.pk, reason="Oops"
        )
    reporter = UserFactory.create()
    services.flag_create(actor=reporter, target_type="comment", target_id=comment.pk, reason="A")
    with pytest.raises(ValidationError, match="already"):
        services.flag_create(
            actor=reporter, target_type="comment", target_id=comment.pk, reason="B"
        )
    assert Flag.objects.count() == 1


def test_a_comment_in_a_process_the_reporter_cannot_see_cannot_be_reported() -> None:
    comment = CommentFactory.create(issue__process__visibility="members")
    with pytest.raises(ValidationError):
        services.flag_create(
            actor=UserFactory.create(), target_type="comment", target_id=comment.pk, reason="x"
        )


def test_the_ladder_needs_an_admin_a_reason_and_a_duration(admins: tuple[User, ...]) -> None:
    case = ModerationCaseFactory.create()
    with pytest.raises(PermissionError):
        services.action_take(actor=UserFactory.create(), case=case, kind="note", reason="x")
    with pytest.raises(ValidationError, match="reason"):
        services.action_take(actor=admins[0], case=case, kind="note", reason="  ")
    with pytest.raises(ValidationError, match="1 to 30"):
        services.action_take(actor=admins[0], case=case, kind="suspension", reason="x", days=31)
    with pytest.raises(ValidationError):
        services.action_take(actor=admins[0], case=case, kind="suspension", reason="x")
    with pytest.raises(ValidationError):
        services.action_take(actor=admins[0], case=case, kind="exile", reason="x")
    assert not ModerationAction.objects.exists()


def test_warnings_notify_and_go_on_the_record_private_reasons_stay_private(
    admins: tuple[User, ...],
) -> None:
    case = ModerationCaseFactory.create()
    private = services.action_take(
        actor=admins[0], case=case, kind="private_warning", reason="Tone it down"
    )
    public = services.action_take(
        actor=admins[0], case=case, kind="public_warning", reason="Personal attacks"
    )
    notes = Notification.objects.filter(user=case.subject, kind="moderation")
    assert notes.count() == 2
    assert {n.url for n in notes} == {private.get_absolute_url(), public.get_absolute_url()}
    events = {
        e.object.split(":")[1]: e for e in AuditEvent.objects.filter(action="moderation.action")
    }
    assert "reason" not in events[str(private.pk)].data
    assert events[str(public.pk)].data["reason"] == "Personal attacks"
    assert events[str(public.pk)].public
    assert not events[str(private.pk)].public, "a private warning never names anyone in public"
    case.subject.refresh_from_db()
    assert not case.subject.is_suspended


def test_a_suspension_takes_effect_at_once_and_the_ballot_is_refused(
    admins: tuple[User, ...],
) -> None:
    scene = make_scene()
    person = scene.person("government")
    round_ = scene.open_round()
    case = ModerationCaseFactory.create(subject=person)
    action = services.action_take(
        actor=admins[0], case=case, kind="suspension", reason="Threats", days=7
    )
    person.refresh_from_db()
    assert person.is_suspended
    assert action.ends_at is not None
    assert timedelta(days=6, hours=23) < action.ends_at - timezone.now() <= timedelta(days=7)
    with pytest.raises(PermissionError, match="suspended"):
        consensus.ballot_cast(actor=person, round_=round_, position="support")


def test_a_ban_needs_a_second_admin(admins: tuple[User, ...]) -> None:
    case = ModerationCaseFactory.create()
    ban = services.action_take(actor=admins[0], case=case, kind="ban", reason="Sock puppets")
    case.subject.refresh_from_db()
    assert ban.awaiting_confirmation and case.subject.banned_at is None
    with pytest.raises(ValidationError, match="second admin"):
        services.ban_confirm(actor=admins[0], action=ban)
    services.ban_confirm(actor=admins[1], action=ban)
    case.subject.refresh_from_db()
    assert case.subject.banned_at is not None and case.subject.is_suspended
    with pytest.raises(ValidationError):
        services.ban_confirm(actor=admins[2], action=ban)


def test_one_appeal_decided_by_an_admin_who_took_no_part(admins: tuple[User, ...]) -> None:
    case = ModerationCaseFactory.create()
    subject = case.subject
    suspension = services.action_take(
        actor=admins[0], case=case, kind="suspension", reason="Spam", days=7
    )
    restriction = services.action_take(
        actor=admins[0], case=case, kind="restriction", reason="Spam", days=30
    )
    subject.refresh_from_db()
    with pytest.raises(PermissionError):
        services.appeal_file(actor=admins[1], action=suspension, text="Not theirs")
    appeal = services.appeal_file(actor=subject, action=suspension, text="It was not spam")
    with pytest.raises(ValidationError, match="once"):
        services.appeal_file(actor=subject, action=suspension, text="Again")
    with pytest.raises(ValidationError, match="no part"):
        services.appeal_decide(actor=admins[0], appeal=appeal, decision="overturned", reason="x")
    with pytest.raises(ValidationError, match="written answer"):
        services.appeal_decide(actor=admins[1], appeal=appeal, decision="overturned", reason="")
    sessions_ended = subject.sessions_ended_at
    assert sessions_ended is not None
    services.appeal_decide(
        actor=admins[1], appeal=appeal, decision="overturned", reason="Links were on topic"
    )
    subject.refresh_from_db()
    suspension.refresh_from_db()
    assert suspension.revoked_at is not None
    assert not subject.is_suspended
    # Only the overturned action is lifted: the restriction stays in force.
    assert subject.is_restricted
    assert subject.restricted_until == ModerationAction.objects.get(pk=restriction.pk).ends_at
    assert subject.sessions_ended_at == sessions_ended, "lifting a sanction ends no session"
    assert Notification.objects.filter(user=subject, title__contains="appeal").exists()
    assert AuditEvent.objects.filter(action="moderation.appeal_decide", public=True).exists()
    with pytest.raises(ValidationError, match="already decided"):
        services.appeal_decide(actor=admins[2], appeal=appeal, decision="upheld", reason="x")
    assert Appeal.objects.get().decision == "overturned"


def test_an_upheld_appeal_keeps_the_action(admins: tuple[User, ...]) -> None:
    case = ModerationCaseFactory.create()
    action = services.action_take(
        actor=admins[0], case=case, kind="suspension", reason="Abuse", days=3
    )
    appeal = services.appeal_file(actor=case.subject, action=action, text="Please")
    services.appeal_decide(actor=admins[1], appeal=appeal, decision="upheld", reason="Clear")
    case.subject.refresh_from_db()
    assert case.subject.is_suspended


def test_a_closed_case_takes_no_action_and_a_new_flag_opens_a_new_case(
    admins: tuple[User, ...],
) -> None:
    case = ModerationCaseFactory.create()
    services.case_close(actor=admins[0], case=case, reason="Disagreement, not abuse")
    with pytest.raises(ValidationError, match="closed"):
        services.action_take(actor=admins[0], case=case, kind="note", reason="x")
    services.flag_create(
        actor=UserFactory.create(), target_type="user", target_id=case.subject.pk, reason="x"
    )
    assert ModerationCase.objects.filter(subject=case.subject, status=CaseStatus.OPEN).count() == 1


def test_a_signal_judged_recently_opens_no_new_case(admins: tuple[User, ...]) -> None:
    subject = UserFactory.create()
    assert services.case_add_signal(subject=subject, kind="sybil", evidence={"trust": 0.0})
    case = ModerationCase.objects.get()
    services.case_close(actor=admins[0], case=case, reason="A new member, not a sock")
    assert not services.case_add_signal(subject=subject, kind="sybil", evidence={"trust": 0.0})
    assert ModerationCase.objects.count() == 1
    assert services.case_add_signal(subject=subject, kind="obstruction", evidence={"k": 5})
    assert ModerationCase.objects.filter(status=CaseStatus.OPEN).get().reasons == ["obstruction"]


def test_nobody_moderates_themselves(admins: tuple[User, ...]) -> None:
    case = ModerationCaseFactory.create(subject=admins[0])
    with pytest.raises(ValidationError, match="yourself"):
        services.action_take(actor=admins[0], case=case, kind=ActionKind.NOTE, reason="x")


def test_stored_evidence_is_bounded() -> None:
    cluster = list(range(1000))
    evidence = bounded({"cluster": cluster, "registered": {str(i): None for i in cluster}, "k": 3})
    assert evidence["cluster"] == cluster[:EVIDENCE_ITEMS_MAX]
    assert evidence["cluster_total"] == 1000
    assert len(evidence["registered"]) == EVIDENCE_ITEMS_MAX
    assert evidence["registered_total"] == 1000
    assert evidence["k"] == 3
    assert bounded({"cluster": [1, 2]}) == {"cluster": [1, 2]}


def test_lifting_one_sanction_keeps_the_others_without_ending_sessions_again(
    admins: tuple[User, ...],
) -> None:
    case = ModerationCaseFactory.create()
    subject = case.subject
    suspension = services.action_take(
        actor=admins[0], case=case, kind="suspension", reason="Threats", days=5
    )
    restriction = services.action_take(
        actor=admins[0], case=case, kind="restriction", reason="Bad faith", days=20
    )
    subject.refresh_from_db()
    ended = subject.sessions_ended_at
    appeal = services.appeal_file(actor=subject, action=restriction, text="Good faith")
    services.appeal_decide(actor=admins[1], appeal=appeal, decision="overturned", reason="Agreed")
    subject.refresh_from_db()
    assert not subject.is_restricted
    assert subject.suspended_until == ModerationAction.objects.get(pk=suspension.pk).ends_at
    assert subject.sessions_ended_at == ended, "a session opened to appeal stays open"
