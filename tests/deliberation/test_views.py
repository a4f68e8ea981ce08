"""Deliberation pages: reading, posting without JavaScript, errors on the page, query counts."""

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from deliberation import services
from deliberation.models import Comment, Process, ProposalVersion
from tests.deliberation.conftest import Cast
from tests.factories import AffiliationFactory, ParticipationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _pages(cast: Cast) -> list[str]:
    slug = cast.process.slug
    return [
        f"/processes/{slug}/",
        f"/processes/{slug}/issues/{cast.issue.pk}/",
        f"/processes/{slug}/proposals/{cast.proposal.pk}/",
        f"/processes/{slug}/proposals/{cast.proposal.pk}/v/1/",
    ]


def test_anyone_reads_a_public_process(client: Client, cast: Cast) -> None:
    for url in [
        *_pages(cast),
        "/processes/",
        "/glossary/",
        "/resources/",
        "/getting-started/",
        "/search/?q=root",
    ]:
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert "<script" not in answer.content.decode()


def test_members_only_pages_are_404_for_others(client: Client, private_cast: Cast) -> None:
    for url in _pages(private_cast):
        assert client.get(url).status_code == 404, url
    client.force_login(private_cast.outsider)
    for url in _pages(private_cast):
        assert client.get(url).status_code == 404, url
    client.force_login(private_cast.member)
    for url in _pages(private_cast):
        assert client.get(url).status_code == 200, url


def test_joining_and_commenting_work_without_javascript(client: Client, cast: Cast) -> None:
    client.force_login(cast.outsider)
    hat = cast.outsider.affiliations.get()
    join = client.post(f"/processes/{cast.process.slug}/join/", {"affiliation": hat.pk})
    assert join.status_code == 302
    issue_url = f"/processes/{cast.process.slug}/issues/{cast.issue.pk}/"
    posted = client.post(
        issue_url,
        {
            "body": "I **agree** <script>alert(1)</script>",
            "affiliation": hat.pk,
            "attribution": "named",
        },
    )
    assert posted.status_code == 302
    comment = Comment.objects.get()
    page = client.get(issue_url).content.decode()
    assert "<strong>agree</strong>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    reply_form = client.get(f"{issue_url}?reply_to={comment.pk}").content.decode()
    assert f'id="reply-{comment.pk}"' in reply_form
    reply = client.post(
        issue_url,
        {"body": "Replying", "affiliation": hat.pk, "attribution": "named", "parent": comment.pk},
    )
    assert reply.status_code == 302
    assert Comment.objects.get(body="Replying").parent == comment


def test_form_errors_are_shown_never_a_500(client: Client, cast: Cast) -> None:
    client.force_login(cast.member)
    hat = cast.member.affiliations.get()
    issue_url = f"/processes/{cast.process.slug}/issues/{cast.issue.pk}/"
    empty = client.post(issue_url, {"body": "", "affiliation": hat.pk, "attribution": "named"})
    assert empty.status_code == 400
    assert "This field is required" in empty.content.decode()
    foreign = client.post(
        issue_url,
        {"body": "x", "affiliation": AffiliationFactory.create().pk, "attribution": "named"},
    )
    assert foreign.status_code == 400
    bad_parent = client.post(
        issue_url, {"body": "x", "affiliation": hat.pk, "attribution": "named", "parent": 999999}
    )
    assert bad_parent.status_code == 400
    assert client.get(f"/processes/{cast.process.slug}/issues/999999/").status_code == 404
    assert client.get("/processes/nowhere/").status_code == 404
    version_by_other = Client()
    version_by_other.force_login(cast.other_member)
    url = f"/processes/{cast.process.slug}/proposals/{cast.proposal.pk}/versions/new/"
    assert version_by_other.post(url, {"text": "Mine", "change_summary": "x"}).status_code == 404
    assert not Comment.objects.exists()


def test_anonymous_visitors_are_invited_to_sign_in_not_to_post(client: Client, cast: Cast) -> None:
    issue_url = f"/processes/{cast.process.slug}/issues/{cast.issue.pk}/"
    page = client.get(issue_url).content.decode()
    assert 'id="comment-form"' not in page
    assert "Sign in" in page
    assert client.post(issue_url, {"body": "spam"}).status_code == 302
    assert not Comment.objects.exists()


def test_facilitator_creates_a_process_and_publishes_a_version(client: Client, cast: Cast) -> None:
    client.force_login(cast.facilitator)
    created = client.post(
        "/processes/new/",
        {
            "title": "ccTLD policy review",
            "slug": "",
            "description": "Review",
            "expected_groups": ["government", "academia"],
            "visibility": "members",
            "status": "open",
            "quorum_per_group": 1,
            "group_support_min": 0.6,
            "minority_max_share": 0.2,
            "strong_support_mean": 0.6,
            "challenge_days": 7,
        },
    )
    assert created.status_code == 302
    process = Process.objects.get(slug="cctld-policy-review")
    assert process.visibility == "members"
    url = f"/processes/{cast.process.slug}/proposals/{cast.proposal.pk}/versions/new/"
    published = client.post(url, {"text": "Version two", "change_summary": "Clearer"})
    assert published.status_code == 302
    assert ProposalVersion.objects.filter(proposal=cast.proposal).count() == 2
    diff = client.get(
        f"/processes/{cast.process.slug}/proposals/{cast.proposal.pk}/diff/?old=1&new=2"
    )
    assert "<del>" in diff.content.decode()
    assert "<ins>" in diff.content.decode()


def test_glossary_terms_are_annotated_in_comments(client: Client, cast: Cast) -> None:
    services.comment_create(
        actor=cast.member, issue=cast.issue, body="The ccTLD operator and IANA agree."
    )
    page = client.get(f"/processes/{cast.process.slug}/issues/{cast.issue.pk}/").content.decode()
    assert 'href="/glossary/#cctld"' in page
    assert 'role="tooltip"' in page


def test_pages_keep_a_constant_query_count(
    client: Client, cast: Cast, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    people = [ParticipationFactory.create(process=cast.process).user for _ in range(15)]
    previous = None
    for n in range(300):
        parent = previous if n % 3 else None
        previous = services.comment_create(
            actor=people[n % 15],
            issue=cast.issue,
            body=f"Comment {n} about the ccTLD",
            parent=parent,
        )
    for _n in range(40):
        services.version_publish(
            actor=cast.facilitator, proposal=cast.proposal, text="Another text"
        )
        services.issue_create(actor=cast.member, process=cast.process, title="More", body="b")
    viewer = UserFactory.create()
    AffiliationFactory.create(user=viewer, primary=True)
    client.force_login(viewer)
    for url in _pages(cast):
        with django_assert_max_num_queries(22):
            assert client.get(url).status_code == 200, url


def test_a_signed_in_non_member_gets_a_join_button_not_a_dead_end(
    client: Client, cast: Cast
) -> None:
    client.force_login(UserFactory.create())
    page = client.get(f"/processes/{cast.process.slug}/issues/{cast.issue.pk}/").content.decode()
    assert 'id="comment-form"' not in page
    assert f'href="/processes/{cast.process.slug}/#take-part"' in page
    assert "Join this process" in page
