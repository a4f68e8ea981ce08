"""The deliberation API: the docs/design.md §11 contract, bad input as clear 4xx, constant query
counts."""

from collections.abc import Callable

import pytest
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from deliberation import services
from deliberation.models import Comment, Issue
from stakeholders.models import User
from tests.deliberation.conftest import Cast
from tests.factories import AffiliationFactory, IssueFactory, ParticipationFactory, UserFactory

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], APIClient]


def test_process_contract_and_creation(client_for: ClientFor) -> None:
    creator = UserFactory.create(is_facilitator=True)
    answer = client_for(creator).post(
        "/api/v1/processes/",
        {
            "title": "National IGF 2027",
            "expected_groups": ["government", "civil_society"],
            "consensus": {"quorum_per_group": 2, "group_support_min": 0.7},
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["slug"] == "national-igf-2027"
    assert body["status"] == "open"
    assert body["visibility"] == "public"
    assert body["url"] == "/processes/national-igf-2027/"
    assert body["consensus"] == {
        "quorum_per_group": 2,
        "group_support_min": 0.7,
        "minority_max_share": 0.2,
        "strong_support_mean": 0.6,
        "challenge_days": 7,
    }
    assert body["facilitators"] == [creator.pk]
    draft = client_for(creator).post(
        "/api/v1/processes/", {"title": "Later", "status": "draft"}, format="json"
    )
    assert draft.json()["status"] == "draft"


def test_bad_process_input(client_for: ClientFor, cast: Cast) -> None:
    api = client_for(cast.facilitator)
    for body in (
        {"title": ""},
        {"title": "X", "expected_groups": ["aliens"]},
        {"title": "X", "consensus": {"group_support_min": 2}},
        {"title": "X" * 300},
        {"title": "X", "visibility": "secret"},
    ):
        answer = api.post("/api/v1/processes/", body, format="json")
        assert answer.status_code == 400, body
        assert answer.json()["detail"]
    renamed = api.patch(f"/api/v1/processes/{cast.process.slug}/", {"slug": "other"}, format="json")
    assert renamed.status_code == 400
    assert api.get("/api/v1/processes/no-such-process/").status_code == 404
    assert api.delete(f"/api/v1/processes/{cast.process.slug}/").status_code == 405


def test_issue_comment_proposal_flow_and_shapes(client_for: ClientFor, cast: Cast) -> None:
    api = client_for(cast.member)
    issue = api.post(
        "/api/v1/issues/",
        {"process": cast.process.slug, "title": "IPv6 adoption", "body": "Why so slow?"},
        format="json",
    ).json()
    assert set(issue) >= {"id", "url", "process", "title", "body"}
    assert issue["url"] == f"/processes/{cast.process.slug}/issues/{issue['id']}/"
    comment = api.post(
        "/api/v1/comments/",
        {
            "issue": issue["id"],
            "body": "Costs. <script>alert(1)</script>",
            "attribution": "group_only",
        },
        format="json",
    )
    assert comment.status_code == 201
    assert "<script>" not in comment.json()["body_html"]
    assert "&lt;script&gt;" in comment.json()["body_html"]
    listed = APIClient().get(f"/api/v1/comments/?issue={issue['id']}").json()["results"]
    assert listed[0]["author"] is None, "group-only comments do not name their author in public"
    assert listed[0]["author_name"].startswith("A civil society participant")
    as_facilitator = client_for(cast.facilitator).get(f"/api/v1/comments/?issue={issue['id']}")
    assert as_facilitator.json()["results"][0]["author"] == cast.member.pk

    proposal = client_for(cast.facilitator).post(
        "/api/v1/proposals/",
        {
            "issue": issue["id"],
            "title": "Dual stack",
            "text": "Deploy v6",
            "plain_summary": "Do it",
        },
        format="json",
    )
    assert proposal.status_code == 201
    assert proposal.json()["current_version"]["number"] == 1
    version = client_for(cast.facilitator).post(
        f"/api/v1/proposals/{proposal.json()['id']}/versions/",
        {"text": "Deploy v6 now", "change_summary": "Urgency", "plain_summary": "Now"},
        format="json",
    )
    assert version.status_code == 201
    assert set(version.json()) >= {"id", "number", "url"}
    assert version.json()["number"] == 2
    versions = APIClient().get(f"/api/v1/proposals/{proposal.json()['id']}/versions/").json()
    assert [v["number"] for v in versions["results"]] == [1, 2]


def test_bad_deliberation_input_is_a_clear_4xx(client_for: ClientFor, cast: Cast) -> None:
    api = client_for(cast.member)
    unknown_process = api.post(
        "/api/v1/issues/", {"process": "nowhere", "title": "T", "body": "B"}, format="json"
    )
    assert unknown_process.status_code == 400
    assert "process" in unknown_process.json()
    foreign_hat = api.post(
        "/api/v1/comments/",
        {"issue": cast.issue.pk, "body": "x", "affiliation": AffiliationFactory.create().pk},
        format="json",
    )
    assert foreign_hat.status_code == 400
    assert "affiliation" in foreign_hat.json()
    other_issue_comment = services.comment_create(
        actor=cast.member,
        issue=services.issue_create(actor=cast.member, process=cast.process, title="B", body="b"),
        body="elsewhere",
    )
    wrong_parent = api.post(
        "/api/v1/comments/",
        {"issue": cast.issue.pk, "parent": other_issue_comment.pk, "body": "reply"},
        format="json",
    )
    assert wrong_parent.status_code == 400
    assert "parent" in wrong_parent.json()
    empty = api.post("/api/v1/comments/", {"issue": cast.issue.pk, "body": "  "}, format="json")
    assert empty.status_code == 400
    not_numeric = api.get("/api/v1/comments/?issue=abc")
    assert not_numeric.status_code == 400
    someone_elses = client_for(cast.other_member).post(
        f"/api/v1/proposals/{cast.proposal.pk}/versions/", {"text": "Mine now"}, format="json"
    )
    assert someone_elses.status_code == 403
    assert "author" in someone_elses.json()["detail"]
    assert Comment.objects.filter(issue=cast.issue).count() == 0
    assert (
        api.post("/api/v1/comments/", {"issue": 999999, "body": "x"}, format="json").status_code
        == 400
    )


def test_anonymous_reads_public_but_cannot_post(cast: Cast) -> None:
    api = APIClient()
    assert api.get(f"/api/v1/issues/?process={cast.process.slug}").status_code == 200
    assert api.post("/api/v1/comments/", {"issue": cast.issue.pk, "body": "x"}).status_code == 401


def test_search_finds_only_what_you_may_read(
    client_for: ClientFor, cast: Cast, private_cast: Cast
) -> None:
    services.comment_create(actor=cast.member, issue=cast.issue, body="Anycast resolvers matter")
    services.comment_create(
        actor=private_cast.member, issue=private_cast.issue, body="Anycast secrets"
    )
    public = APIClient().get("/api/v1/search/?q=anycast").json()
    assert [hit["excerpt"] for hit in public["results"]] == ["Anycast resolvers matter"]
    member = client_for(private_cast.member).get("/api/v1/search/?q=anycast").json()
    assert member["count"] == 2
    assert APIClient().get("/api/v1/search/?q=" + "x" * 300).status_code == 400


def test_list_endpoints_keep_a_constant_query_count(
    cast: Cast, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    people = [ParticipationFactory.create(process=cast.process).user for _ in range(20)]
    for n in range(200):
        services.comment_create(actor=people[n % 20], issue=cast.issue, body=f"Comment {n}")
    for _n in range(60):
        IssueFactory.create(process=cast.process)
        services.proposal_create(actor=cast.member, issue=cast.issue, title="P", text="T")
    api = APIClient()
    for url in (
        f"/api/v1/comments/?issue={cast.issue.pk}&page_size=200",
        f"/api/v1/issues/?process={cast.process.slug}&page_size=200",
        f"/api/v1/proposals/?issue={cast.issue.pk}&page_size=200",
        "/api/v1/processes/?page_size=200",
        "/api/v1/glossary/?page_size=200",
    ):
        with django_assert_max_num_queries(8):
            assert api.get(url).status_code == 200, url
    assert Issue.objects.count() > 60
