"""Anonymous readers get public pages from a few-seconds cache; nothing personal is ever cached."""

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from deliberation import services
from tests.deliberation.conftest import Cast, make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db: None) -> Cast:
    return make_cast()


@pytest.fixture(autouse=True)
def _cache_on(settings: Settings) -> None:
    settings.PAGE_CACHE_SECONDS = 60


def test_anonymous_readers_share_a_recent_copy_signed_in_users_never(cast: Cast) -> None:
    # One client: each test client builds its own handler, as each server worker does.
    reader = Client()
    url = cast.issue.get_absolute_url()
    first = reader.get(url)
    assert "X-Page-Cache" not in first
    services.comment_create(actor=cast.member, issue=cast.issue, body="A brand new comment")
    cached = reader.get(url)
    assert cached["X-Page-Cache"] == "hit"
    assert "A brand new comment" not in cached.content.decode()
    signed_in = Client()
    signed_in.force_login(cast.member)
    fresh = signed_in.get(url)
    assert "X-Page-Cache" not in fresh
    assert "A brand new comment" in fresh.content.decode()
    assert "A brand new comment" not in reader.get(url).content.decode()


def test_each_language_has_its_own_copy(cast: Cast) -> None:
    reader = Client()
    url = cast.process.get_absolute_url()
    reader.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert reader.get(url, HTTP_ACCEPT_LANGUAGE="en")["X-Page-Cache"] == "hit"
    french = reader.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert "X-Page-Cache" not in french
    assert 'lang="fr"' in french.content.decode()


def test_forms_messages_and_private_areas_are_never_cached(client: Client, cast: Cast) -> None:
    for url in ("/accounts/login/", "/accounts/login/"):
        assert "X-Page-Cache" not in client.get(url)
    client.cookies["messages"] = "x"
    client.get(cast.process.get_absolute_url())
    assert "X-Page-Cache" not in client.get(cast.process.get_absolute_url())


def test_the_language_switch_needs_no_form_token(client: Client) -> None:
    answer = client.get("/language/?language=ar&next=/glossary/")
    assert answer.status_code == 302
    assert answer["Location"] == "/glossary/"
    assert client.cookies["django_language"].value == "ar"
    assert 'dir="rtl"' in client.get("/glossary/").content.decode()
    outside = client.get("/language/?language=fr&next=https://evil.example/")
    assert outside["Location"] == "/"
    client.get("/language/?language=xx")
    assert client.cookies["django_language"].value == "fr"


@pytest.mark.parametrize(
    ("header", "kept"),
    [("", True), ("max-age=0, no-cache, no-store, must-revalidate, private", False),
     ("private", False), ("public, max-age=60", True)],
)  # fmt: skip
def test_a_view_that_says_no_store_or_private_is_never_kept(header: str, kept: bool) -> None:
    from django.http import HttpResponse
    from django.test import RequestFactory

    from web.middleware import AnonymousPageCacheMiddleware

    def view(request: object) -> HttpResponse:
        response = HttpResponse("<p>page</p>", content_type="text/html")
        if header:
            response["Cache-Control"] = header
        return response

    middleware = AnonymousPageCacheMiddleware(view)
    middleware(RequestFactory().get("/somewhere/"))
    again = middleware(RequestFactory().get("/somewhere/"))
    assert (again.get("X-Page-Cache") == "hit") is kept
