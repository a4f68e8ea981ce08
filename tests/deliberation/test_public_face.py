"""A person who speaks by group only is told what the public sees of them — in the comment form
and beside their own comments — in exactly the words the public page shows."""

import re

import pytest
from django.test import Client

from deliberation import services
from deliberation.models import Comment
from stakeholders.models import Attribution, User
from tests.deliberation.conftest import Cast
from tests.factories import AffiliationFactory

pytestmark = pytest.mark.django_db

FACE = "A civil society participant from Africa"


def _issue_url(cast: Cast) -> str:
    return f"/processes/{cast.process.slug}/issues/{cast.issue.pk}/"


def _shown_to_the_public(cast: Cast, comment: Comment) -> str:
    page = Client().get(_issue_url(cast)).content.decode()
    found = re.search(rf'id="comment-{comment.pk}-by"><bdi>([^<]+)</bdi>', page)
    assert found, "the comment's author line"
    return found.group(1)


def test_a_group_only_author_reads_the_public_face_beside_their_comment(cast: Cast) -> None:
    User.objects.filter(pk=cast.member.pk).update(attribution=Attribution.GROUP_ONLY)
    cast.member.refresh_from_db()
    comment = services.comment_create(
        actor=cast.member, issue=cast.issue, body="We should ask the registries."
    )
    assert comment.attribution == Attribution.GROUP_ONLY
    public = _shown_to_the_public(cast, comment)
    assert public == FACE

    author = Client()
    author.force_login(cast.member)
    page = author.get(_issue_url(cast)).content.decode()
    assert f"The public sees this as: {public}" in page
    assert f"The public sees this as: {FACE}." in page, "the comment form says it too"
    edit = author.get(f"/processes/{cast.process.slug}/comments/{comment.pk}/edit/")
    assert f"The public sees this as: {public}" in edit.content.decode()

    other = Client()
    other.force_login(cast.other_member)
    seen = other.get(_issue_url(cast)).content.decode()
    assert "The public sees this as" not in seen, "nobody else is told about another's comment"
    assert "The public sees this as" not in Client().get(_issue_url(cast)).content.decode()


def test_a_named_comment_shows_no_public_face_and_the_form_explains_the_choice(
    cast: Cast,
) -> None:
    comment = services.comment_create(actor=cast.member, issue=cast.issue, body="Named.")
    assert comment.attribution == Attribution.NAMED
    author = Client()
    author.force_login(cast.member)
    page = author.get(_issue_url(cast)).content.decode()
    assert '<p class="muted public-face">' not in page
    assert (
        "If you choose “Show only my stakeholder group and region”, the public sees this as: "
        f"{FACE}." in page
    )


def test_the_form_names_each_face_of_a_person_with_hats_in_two_groups(cast: Cast) -> None:
    User.objects.filter(pk=cast.member.pk).update(attribution=Attribution.GROUP_ONLY, country="BR")
    AffiliationFactory.create(user=cast.member, stakeholder_group="academia")
    author = Client()
    author.force_login(cast.member)
    page = author.get(_issue_url(cast)).content.decode()
    assert (
        "The public sees this as: A civil society participant from Latin America and the "
        "Caribbean; An academic participant from Latin America and the Caribbean (by the hat you "
        "wear)." in page
    )
