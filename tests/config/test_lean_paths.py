"""The lean hot paths answer exactly what the ORM's would: token holders, choice labels, the
ballot endpoint's round and the raw ballot insert."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from consensus import selectors, services
from consensus.models import Ballot, Position, Round
from stakeholders.models import Affiliation, StakeholderGroup, User
from tests.consensus.conftest import Scene, make_scene
from tests.factories import AffiliationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _me(key: str) -> tuple[int, dict[str, object]]:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    answer = client.get("/api/v1/stakeholders/me/")
    return answer.status_code, answer.json()


def test_a_token_names_its_holder_and_bad_tokens_are_401() -> None:
    holder = UserFactory.create()
    token = Token.objects.create(user=holder)
    status, body = _me(token.key)
    assert status == 200
    assert body["email"] == holder.email
    assert _me("0" * 40) == (401, {"detail": "Invalid token."})
    holder.is_active = False
    holder.save(update_fields=["is_active"])
    assert _me(token.key) == (401, {"detail": "User inactive or deleted."})


def test_a_token_holder_is_the_whole_user_row() -> None:
    from stakeholders.authentication import TokenAuthentication

    holder = UserFactory.create(country="KE")
    token = Token.objects.create(user=holder)
    user, auth = TokenAuthentication().authenticate_credentials(token.key)
    assert user == holder
    assert user.region == holder.region
    assert user.developing == holder.developing
    assert (auth.key, auth.user_id, auth.created) == (token.key, holder.pk, token.created)


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_choice_labels_are_djangos_in_every_language(language: str) -> None:
    hat = AffiliationFactory.create(stakeholder_group=StakeholderGroup.CIVIL_SOCIETY)
    ballot = Ballot(position=Position.OBJECT, stakeholder_group="no-such-group")
    with override(language):
        assert hat.get_stakeholder_group_display() == str(StakeholderGroup.CIVIL_SOCIETY.label)
        assert ballot.get_position_display() == str(Position.OBJECT.label)
        # A value outside the choices is shown as itself, as Django does.
        assert ballot.get_stakeholder_group_display() == "no-such-group"


def test_choice_labels_follow_the_active_language() -> None:
    hat = Affiliation(stakeholder_group=StakeholderGroup.GOVERNMENT)
    with override("en"):
        english = hat.get_stakeholder_group_display()
    with override("fr"):
        french = hat.get_stakeholder_group_display()
    with override("en"):
        again = hat.get_stakeholder_group_display()
    # The labels are kept per language: French never leaks into English, nor back.
    assert (english, french, again) == ("Government", "Gouvernement", "Government")


def _open_round(scene: Scene) -> Round:
    version = scene.proposal.versions.get(number=1)
    round_ = services.round_create(
        actor=scene.facilitator, version=version, closes_at=timezone.now() + timedelta(days=1)
    )
    return services.round_open(actor=scene.facilitator, round_=round_)


def test_the_ballot_endpoints_round_is_the_orms() -> None:
    scene = make_scene()
    round_ = _open_round(scene)
    found = selectors.round_with_process(round_.pk)
    assert found is not None
    expected = Round.objects.select_related("process").get(pk=round_.pk)
    assert [getattr(found, f.attname) for f in Round._meta.concrete_fields] == [
        getattr(expected, f.attname) for f in Round._meta.concrete_fields
    ]
    assert found.process == expected.process
    assert found.process.title == expected.process.title
    assert selectors.round_with_process(round_.pk + 10_000) is None


def test_a_cast_ballot_is_stored_as_returned() -> None:
    scene = make_scene()
    round_ = _open_round(scene)
    voter: User = scene.person("academia")
    ballot, first = services.ballot_cast(
        actor=voter, round_=round_, position="object", rationale=" Too vague ", proposed_change="x"
    )
    assert first
    stored = Ballot.objects.get(pk=ballot.pk)
    for field in Ballot._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(ballot, field.attname), field.name
    assert stored.rationale == "Too vague"
    assert stored.current
