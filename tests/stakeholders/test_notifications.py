"""Notifications in bulk: each person's choice, the badge kept on the user row, one mail task."""

from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoCaptureOnCommitCallbacks

from consensus import notifications as consensus_kinds
from deliberation import notifications as deliberation_kinds
from stakeholders import services
from stakeholders.models import Notification, User
from stakeholders.selectors import unread_count
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _send_to(users: list[User]) -> list[Notification]:
    return services.notifications_send(
        kind=consensus_kinds.ROUND,
        messages=[services.Message(u.pk, "A round is open", url="/r/") for u in users],
    )


def test_bulk_delivery_follows_each_persons_choice_and_counts_the_badges(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks, mailoutbox: list
) -> None:
    everything, in_app_only, mail_only, nothing = UserFactory.create_batch(4)
    inactive = UserFactory.create(is_active=False)
    for user, choice in (
        (in_app_only, (True, False)),
        (mail_only, (False, True)),
        (nothing, (False, False)),
    ):
        services.notification_settings_save(
            actor=user,
            choices={consensus_kinds.ROUND: choice, deliberation_kinds.REPLY: (False, False)},
        )
    with django_capture_on_commit_callbacks(execute=True):
        sent = _send_to([everything, in_app_only, mail_only, nothing, inactive])
    by_user = {n.user_id: (n.in_app, n.email_wanted) for n in sent}
    assert by_user == {
        everything.pk: (True, True),
        in_app_only.pk: (True, False),
        mail_only.pk: (False, True),
    }
    badges = dict(User.objects.values_list("pk", "unread_notifications"))
    assert [badges[u.pk] for u in (everything, in_app_only, mail_only, nothing, inactive)] == [
        1,
        1,
        0,
        0,
        0,
    ]
    assert sorted(m.to[0] for m in mailoutbox) == sorted([everything.email, mail_only.email])
    assert Notification.objects.filter(email_wanted=True, emailed_at__isnull=True).count() == 0


@pytest.mark.parametrize("people", [10, 120])
def test_bulk_delivery_takes_the_same_queries_and_one_mail_task_for_any_number(
    people: int, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    users = UserFactory.create_batch(people)
    services.notification_settings_save(
        actor=users[0], choices={consensus_kinds.ROUND: (True, False)}
    )
    with (
        mock.patch("stakeholders.tasks.send_notification_mails.apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
        CaptureQueriesContext(connection) as queries,
    ):
        sent = _send_to(users)
    assert len(sent) == people
    # the recipients' choices, the INSERT and the badges (inside one savepoint)
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 3, statements
    (call,) = queued.call_args_list
    assert sorted(call.kwargs["args"][0]) == sorted(n.pk for n in sent if n.email_wanted)
    assert len(call.kwargs["args"][0]) == people - 1


def test_the_badge_costs_no_query_and_reading_clears_it(client: Client) -> None:
    user = UserFactory.create()
    for title in ("One", "Two", "Three"):
        services.notification_send(user=user, kind=deliberation_kinds.REPLY, title=title)
    user.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        assert unread_count(user) == 3
    assert len(queries) == 0
    client.force_login(user)
    assert '<span class="badge">3<' in client.get("/me/profile/").content.decode()

    first = Notification.objects.filter(user=user).order_by("pk").first()
    assert first is not None
    assert services.notifications_mark_read(actor=user, ids=[first.pk]) == 1
    user.refresh_from_db()
    assert user.unread_notifications == 2
    assert services.notifications_mark_read(actor=user) == 2
    user.refresh_from_db()
    assert user.unread_notifications == 0
    assert '<span class="badge">' not in client.get("/me/profile/").content.decode()


def test_mail_is_sent_in_batches_exactly_once(mailoutbox: list) -> None:
    users = UserFactory.create_batch(services.MAIL_BATCH + 5)
    with mock.patch("stakeholders.tasks.send_notification_mails.apply_async"):
        sent = _send_to(users)
    ids = [n.pk for n in sent]
    assert services.notification_mails_send(notification_ids=ids) == len(users)
    assert services.notification_mails_send(notification_ids=ids) == 0, "never twice"
    assert len(mailoutbox) == len(users)
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
