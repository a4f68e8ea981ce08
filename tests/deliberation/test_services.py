"""Deliberation services: what they refuse, what they record, whom they notify."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from pytest_django import DjangoCaptureOnCommitCallbacks

from deliberation import notifications as deliberation_kinds
from deliberation import services
from deliberation.models import Comment, GlossaryTerm, Participation, ProposalVersion
from record.models import AuditEvent
from stakeholders.models import Notification
from tests.deliberation.conftest import Cast
from tests.factories import AffiliationFactory, IssueFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_process_is_facilitated_by_its_creator_and_recorded() -> None:
    creator = UserFactory.create(is_facilitator=True)
    process = services.process_create(
        actor=creator, title="IGF Best Practice Forum on Cybersecurity"
    )
    assert process.slug == "igf-best-practice-forum-on-cybersecurity"
    assert list(process.facilitators.all()) == [creator]
    assert process.status == "open"
    assert len(process.expected_groups) == 6
    event = AuditEvent.objects.get(action="process.create")
    assert event.data["slug"] == process.slug
    again = services.process_create(actor=creator, title="IGF Best Practice Forum on Cybersecurity")
    assert again.slug == "igf-best-practice-forum-on-cybersecurity-2"


def test_bad_process_parameters_are_refused() -> None:
    creator = UserFactory.create(is_facilitator=True)
    with pytest.raises(ValidationError):
        services.process_create(actor=creator, title="X", group_support_min=1.5)
    with pytest.raises(ValidationError):
        services.process_create(actor=creator, title="X", expected_groups=["aliens"])
    with pytest.raises(ValidationError):
        services.process_create(actor=creator, title="X", owner="me")


def test_archiving_keeps_the_process_and_closes_it(cast: Cast) -> None:
    services.process_archive(actor=cast.facilitator, process=cast.process)
    cast.process.refresh_from_db()
    assert cast.process.archived and cast.process.status == "concluded"
    assert not cast.process.is_open


def test_joining_needs_one_of_your_own_hats(cast: Cast) -> None:
    foreign_hat = AffiliationFactory.create()
    with pytest.raises(ValidationError) as error:
        services.participation_join(
            actor=cast.outsider, process=cast.process, affiliation=foreign_hat.pk
        )
    assert "affiliation" in error.value.message_dict
    participation = services.participation_join(actor=cast.outsider, process=cast.process)
    assert participation.affiliation.user == cast.outsider
    second_hat = AffiliationFactory.create(user=cast.outsider)
    services.participation_join(actor=cast.outsider, process=cast.process, affiliation=second_hat)
    assert (
        Participation.objects.get(process=cast.process, user=cast.outsider).affiliation
        == second_hat
    )


def test_a_reply_must_stay_in_its_issue(cast: Cast) -> None:
    elsewhere = Comment.objects.create(
        issue=IssueFactory.create(),
        author=cast.member,
        affiliation=AffiliationFactory.create(user=cast.member),
        body="x",
    )
    with pytest.raises(ValidationError) as error:
        services.comment_create(actor=cast.member, issue=cast.issue, body="Reply", parent=elsewhere)
    assert "parent" in error.value.message_dict


def test_empty_comments_are_refused(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        services.comment_create(actor=cast.member, issue=cast.issue, body="   ")
    assert not Comment.objects.exists()


def test_comments_wear_the_default_hat_and_may_be_group_only(cast: Cast) -> None:
    comment = services.comment_create(
        actor=cast.member, issue=cast.issue, body="Hi", attribution="group_only"
    )
    default = Participation.objects.get(process=cast.process, user=cast.member).affiliation
    assert comment.affiliation == default
    assert comment.attribution == "group_only"
    with pytest.raises(ValidationError):
        services.comment_create(
            actor=cast.member, issue=cast.issue, body="Hi", affiliation=AffiliationFactory.create()
        )


def test_replies_and_mentions_notify(
    cast: Cast, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    first = services.comment_create(actor=cast.member, issue=cast.issue, body="Opening")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(
            actor=cast.other_member,
            issue=cast.issue,
            parent=first,
            body=f"Yes — cc @{cast.facilitator.email}",
        )
    assert Notification.objects.filter(user=cast.member, kind=deliberation_kinds.REPLY).count() == 1
    assert (
        Notification.objects.filter(user=cast.facilitator, kind=deliberation_kinds.MENTION).count()
        == 1
    )
    assert not Notification.objects.filter(user=cast.other_member).exists()


def test_threads_record_their_root(cast: Cast) -> None:
    root = services.comment_create(actor=cast.member, issue=cast.issue, body="Root")
    child = services.comment_create(
        actor=cast.other_member, issue=cast.issue, parent=root, body="Child"
    )
    grandchild = services.comment_create(
        actor=cast.member, issue=cast.issue, parent=child, body="Grandchild"
    )
    assert child.thread_root == root
    assert grandchild.thread_root == root


def test_editing_keeps_the_earlier_text(cast: Cast) -> None:
    comment = services.comment_create(actor=cast.member, issue=cast.issue, body="First text")
    services.comment_edit(actor=cast.member, comment=comment, body="Second text")
    assert comment.edited_at is not None
    assert [r.body for r in comment.revisions.all()] == ["First text"]
    with pytest.raises(PermissionError):
        services.comment_edit(actor=cast.other_member, comment=comment, body="Hijack")


def test_versions_are_numbered_immutable_and_announced(
    cast: Cast, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        second = services.version_publish(
            actor=cast.facilitator, proposal=cast.proposal, text="Version two text"
        )
    assert [v.number for v in cast.proposal.versions.all()] == [1, 2]
    assert Notification.objects.filter(
        user=cast.member, kind=deliberation_kinds.NEW_VERSION
    ).exists()
    assert not Notification.objects.filter(
        user=cast.facilitator, kind=deliberation_kinds.NEW_VERSION
    ).exists()
    second.text = "Rewritten under a running round"
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        second.save()
    assert ProposalVersion.objects.get(pk=second.pk).text == "Version two text"


def test_glossary_names_never_collide(db: None) -> None:
    editor = UserFactory.create(is_facilitator=True)
    before = GlossaryTerm.objects.count()
    services.glossary_term_save(
        actor=editor, term="Zeta term", aliases=["ZT"], definitions={"en": "A test."}
    )
    with pytest.raises(ValidationError):
        services.glossary_term_save(
            actor=editor, term="Other", aliases=["zt"], definitions={"en": "x"}
        )
    with pytest.raises(ValidationError):
        services.glossary_term_save(actor=editor, term="No English", definitions={"fr": "x"})
    assert GlossaryTerm.objects.count() == before + 1


def test_the_shipped_glossary_and_library_are_loaded(db: None) -> None:
    from deliberation.models import Resource

    assert GlossaryTerm.objects.count() >= 40
    assert (
        GlossaryTerm.objects.filter(term__in=["ccTLD", "IANA", "RIR", "IXP", "WSIS", "MAG"]).count()
        == 6
    )
    assert Resource.objects.filter(kind="fellowship").exists()
