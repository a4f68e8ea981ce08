"""A comment's header and text are rendered once per everything they show (a fragment cache):
an edit, moderation, a glossary term, another language or another viewer's view of names each
show at once."""

import pytest
from django.core.cache import caches
from django.test import Client

from deliberation import glossary, services
from deliberation.models import Comment, CommentState
from stakeholders.models import Attribution
from tests.deliberation.conftest import Cast, make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db: None) -> Cast:
    caches["fragments"].clear()
    return make_cast()


def _page(client: Client, cast: Cast, language: str = "en") -> str:
    answer = client.get(cast.issue.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
    assert answer.status_code == 200
    return answer.content.decode()


def test_an_edit_and_moderation_show_at_once(cast: Cast) -> None:
    comment = services.comment_create(actor=cast.member, issue=cast.issue, body="First words")
    reader = Client()
    assert "First words" in _page(reader, cast)
    services.comment_edit(actor=cast.member, comment=comment, body="Second words")
    edited = _page(reader, cast)
    assert "Second words" in edited
    assert "First words" not in edited
    assert "edited (1 earlier text)" in edited
    Comment.objects.filter(pk=comment.pk).update(state=CommentState.HIDDEN)
    hidden = _page(reader, cast)
    assert "Second words" not in hidden
    assert "hidden by moderation" in hidden


def test_a_new_glossary_term_and_another_language_show_at_once(cast: Cast) -> None:
    services.comment_create(actor=cast.member, issue=cast.issue, body="About the zorblax rules")
    reader = Client()
    assert 'class="term"' not in _page(reader, cast).split('class="discussion"')[1]
    services.glossary_term_save(
        actor=cast.facilitator, term="zorblax", definitions={"en": "A made-up word"}
    )
    glossary.glossary_changed()
    assert "A made-up word" in _page(reader, cast).split('class="discussion"')[1]
    assert 'lang="fr"' in _page(reader, cast, "fr")


def test_each_viewer_sees_the_name_the_attribution_allows(cast: Cast) -> None:
    services.comment_create(
        actor=cast.member, issue=cast.issue, body="Quietly", attribution=Attribution.GROUP_ONLY
    )
    name = cast.member.display_name
    facilitator, other = Client(), Client()
    facilitator.force_login(cast.facilitator)
    other.force_login(cast.other_member)
    # Whoever renders first, the other viewer sees what they may see.
    assert name in _page(facilitator, cast).split('class="discussion"')[1]
    assert name not in _page(other, cast).split('class="discussion"')[1]
    assert name not in _page(Client(), cast).split('class="discussion"')[1]
    assert name in _page(facilitator, cast).split('class="discussion"')[1]
