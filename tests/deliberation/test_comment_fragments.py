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


def _actions(page: str) -> str:
    """The first comment's actions, as the page shows them."""
    return page.split('class="comment-actions"')[1].split(">", 1)[1].split("</p>", maxsplit=1)[0]


def test_each_viewer_sees_the_actions_and_notes_that_are_theirs(cast: Cast) -> None:
    comment = services.comment_create(
        actor=cast.member, issue=cast.issue, body="Mine", attribution=Attribution.GROUP_ONLY
    )
    author, member, outsider = Client(), Client(), Client()
    author.force_login(cast.member)
    member.force_login(cast.other_member)
    outsider.force_login(cast.outsider)
    # Rendered in turns, each from a warm fragment cache: nobody sees another's actions.
    for _ in range(2):
        own = _page(author, cast)
        assert "Edit" in _actions(own) and "Report" not in _actions(own)
        assert "The public sees this as:" in own
        other = _page(member, cast)
        assert "Edit" not in _actions(other) and "Report" in _actions(other)
        assert "Reply" in _actions(other)
        assert "The public sees this as:" not in other
        stranger = _page(outsider, cast)
        assert "Reply" not in _actions(stranger) and "Report" in _actions(stranger)
        anonymous = _page(Client(), cast)
        assert _actions(anonymous).strip() == ""
    cast.process.archived_at = comment.created_at
    cast.process.save(update_fields=["archived_at"])
    assert "Edit" not in _actions(_page(author, cast))
