"""Services of stakeholders: hats, primary choice, verification, roles, interests, notifications."""

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from pytest_django import DjangoCaptureOnCommitCallbacks

from deliberation import notifications as deliberation_kinds
from record.models import AuditEvent
from record.selectors import audit_chain_break
from stakeholders import notifications as stakeholders_kinds
from stakeholders import services
from stakeholders.models import Affiliation, Notification, StakeholderGroup, User
from tests.factories import AffiliationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _add(user: User, organisation: str, **extra: object) -> Affiliation:
    return services.affiliation_add(
        actor=user,
        organisation=organisation,
        stakeholder_group=StakeholderGroup.ACADEMIA,
        **extra,  # type: ignore[arg-type]
    )


def test_first_hat_is_primary_and_a_chosen_one_replaces_it(user: User) -> None:
    first = _add(user, "University A")
    second = _add(user, "Association B")
    assert first.primary and not second.primary
    services.affiliation_make_primary(actor=user, affiliation=second)
    first.refresh_from_db()
    assert not first.primary
    assert list(user.affiliations.filter(primary=True)) == [second]


def test_ending_the_primary_hat_hands_primary_to_another(user: User) -> None:
    first, second = _add(user, "A"), _add(user, "B")
    services.affiliation_end(actor=user, affiliation=first)
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.active and not first.primary
    assert second.primary
    with pytest.raises(ValidationError):
        services.affiliation_end(actor=user, affiliation=first)
    with pytest.raises(ValidationError):
        services.affiliation_make_primary(actor=user, affiliation=first)


def test_unknown_group_and_overlong_fields_are_refused(user: User) -> None:
    with pytest.raises(ValidationError) as error:
        services.affiliation_add(actor=user, organisation="X", stakeholder_group="aliens")
    assert "stakeholder_group" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.affiliation_add(
            actor=user, organisation="x" * 201, stakeholder_group=StakeholderGroup.ACADEMIA
        )
    assert not user.affiliations.exists()


def test_someone_elses_hat_cannot_be_changed(user: User) -> None:
    other_hat = AffiliationFactory.create()
    with pytest.raises(PermissionError):
        services.affiliation_update(actor=user, affiliation=other_hat, role="Boss")


def test_verification_is_recorded_and_cleared_by_an_identity_edit(
    user: User, admin_user: User
) -> None:
    hat = _add(user, "Ministry")
    services.affiliation_verify(actor=admin_user, affiliation=hat)
    assert hat.verified and hat.verified_by == admin_user
    event = AuditEvent.objects.get(action="affiliation.verify")
    assert event.actor == admin_user.pk
    assert event.object == f"stakeholders.affiliation:{hat.pk}"
    assert Notification.objects.filter(user=user, kind=stakeholders_kinds.ROLE).exists()

    services.affiliation_update(actor=user, affiliation=hat, organisation="Ministry")
    assert hat.verified, "saving the same claim keeps the verification"
    services.affiliation_update(actor=user, affiliation=hat, legitimacy_claim="Citizens")
    hat.refresh_from_db()
    assert not hat.verified, "a new legitimacy claim is not what the admin verified"


def test_role_changes_are_on_the_record(user: User, admin_user: User) -> None:
    services.role_set(actor=admin_user, user=user, role="facilitator", granted=True)
    services.role_set(actor=admin_user, user=user, role="facilitator", granted=True)
    services.role_set(actor=admin_user, user=user, role="admin", granted=True)
    user.refresh_from_db()
    assert user.is_facilitator and user.is_staff
    actions = list(AuditEvent.objects.values_list("action", "data"))
    assert actions == [("role.grant", {"role": "facilitator"}), ("role.grant", {"role": "admin"})]
    assert audit_chain_break() is None
    with pytest.raises(ValidationError):
        services.role_set(actor=admin_user, user=user, role="emperor", granted=True)
    with pytest.raises(ValidationError):
        services.role_set(actor=admin_user, user=admin_user, role="admin", granted=False)


def test_statement_of_interest_keeps_every_version(user: User) -> None:
    one = services.statement_of_interest_publish(actor=user, funding_sources="Me", interests="A")
    two = services.statement_of_interest_publish(actor=user, funding_sources="NGO", interests="B")
    assert (one.version, two.version) == (1, 2)
    assert user.statements_of_interest.count() == 2


def test_profile_country_is_checked_and_normalised(user: User) -> None:
    services.profile_update(actor=user, country="br")
    assert user.country == "BR" and user.region == "latin_america_caribbean" and user.developing
    with pytest.raises(ValidationError) as error:
        services.profile_update(actor=user, country="ZZ")
    assert "country" in error.value.message_dict
    user.refresh_from_db()
    assert user.country == "BR"
    with pytest.raises(ValidationError):
        services.profile_update(actor=user, is_staff=True)


def test_notifications_follow_the_users_choice(
    user: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks, mailoutbox: list
) -> None:
    services.notification_settings_save(
        actor=user,
        choices={deliberation_kinds.REPLY: (True, False), stakeholders_kinds.ROLE: (False, False)},
    )
    assert services.notification_send(user=user, kind=stakeholders_kinds.ROLE, title="x") is None
    reply = services.notification_send(user=user, kind=deliberation_kinds.REPLY, title="A reply")
    assert reply is not None and reply.in_app and not reply.email_wanted

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mention = services.notification_send(user=user, kind=deliberation_kinds.MENTION, title="Hi")
    assert mention is not None and mention.email_wanted
    assert len(callbacks) == 1
    assert services.notification_mail_send(notification_id=mention.pk)
    assert not services.notification_mail_send(notification_id=mention.pk), "sent only once"
    assert [m.to for m in mailoutbox] == [[user.email]]


def test_the_sweep_finds_mail_whose_queue_message_was_lost(user: User) -> None:
    notification = services.notification_send(
        user=user, kind=deliberation_kinds.MENTION, title="Hi"
    )
    assert notification is not None
    assert services.pending_notification_mail_ids(older_than_seconds=0) == [notification.pk]
    assert services.pending_notification_mail_ids(older_than_seconds=3600) == []


def test_user_factory_gives_a_verified_email() -> None:
    user = UserFactory.create()
    assert EmailAddress.objects.filter(user=user, verified=True).exists()
