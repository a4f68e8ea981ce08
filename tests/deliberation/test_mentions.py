"""An @mention never carries a members-only issue to someone who may not read it."""

from typing import Any

import pytest
from django.test import Client

from deliberation import services
from deliberation.models import Visibility
from stakeholders.models import Notification
from tests.deliberation.conftest import make_cast

pytestmark = pytest.mark.django_db


def test_a_mention_of_a_non_member_in_a_members_only_issue_notifies_nobody(
    mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    cast = make_cast(Visibility.MEMBERS)
    web = Client()
    web.force_login(cast.member)
    with django_capture_on_commit_callbacks(execute=True):
        posted = web.post(
            f"/processes/{cast.process.slug}/issues/{cast.issue.pk}/",
            {
                "body": f"Secret plan, cc @{cast.outsider.email} and @{cast.other_member.email}",
                "attribution": "named",
                "affiliation": cast.member.affiliations.get().pk,
            },
        )
    assert posted.status_code == 302
    assert not Notification.objects.filter(user=cast.outsider).exists()
    assert Notification.objects.filter(user=cast.other_member, kind="mention").count() == 1
    assert all(cast.outsider.email not in message.to for message in mailoutbox)


def test_in_a_public_process_anyone_mentioned_is_told(
    django_capture_on_commit_callbacks: Any,
) -> None:
    cast = make_cast(Visibility.PUBLIC)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(
            actor=cast.member, issue=cast.issue, body=f"Thoughts, @{cast.outsider.email}?"
        )
    assert Notification.objects.filter(user=cast.outsider, kind="mention").count() == 1


def test_a_reply_to_someone_who_can_no_longer_read_tells_them_nothing() -> None:
    cast = make_cast(Visibility.MEMBERS)
    first = services.comment_create(actor=cast.member, issue=cast.issue, body="Opening")
    cast.process.participations.filter(user=cast.member).delete()
    services.comment_create(actor=cast.other_member, issue=cast.issue, parent=first, body="Yes")
    assert not Notification.objects.filter(user=cast.member, kind="reply").exists()


def test_a_link_to_a_profile_is_a_mention_and_the_help_asks_for_no_e_mail(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    cast = make_cast(Visibility.PUBLIC)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(
            actor=cast.member,
            issue=cast.issue,
            body=f"As [they said](/stakeholders/{cast.outsider.pk}/), see /stakeholders/0/x",
        )
    assert Notification.objects.filter(user=cast.outsider, kind="mention").count() == 1
    client.force_login(cast.member)
    page = client.get(f"/processes/{cast.process.slug}/issues/{cast.issue.pk}/").content.decode()
    assert "link to their profile page" in page
    assert "e-mail address." not in page
