"""The admins' case file shows each report as comments are shown — sanitised markdown — and links
what was reported to where it lives (a comment to its place in its thread)."""

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from deliberation.selectors import THREADS_PER_PAGE
from tests.factories import CommentFactory, IssueFactory, ProposalFactory, UserFactory
from trust.models import ModerationCase
from trust.moderation import services

pytestmark = pytest.mark.django_db

BODY = "I **insist**: <script>alert(1)</script> [click](javascript:alert(1)) and [ok](https://example.org)"


def test_a_reported_comment_is_rendered_safely_and_linked_to_its_page_of_the_thread(
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    issue = IssueFactory.create(title="Root zone stewardship")
    roots = [CommentFactory.create(issue=issue) for _ in range(THREADS_PER_PAGE + 1)]
    last = roots[-1]
    reply = CommentFactory.create(issue=issue, parent=last, thread_root=last, body=BODY)
    first_page = roots[0]
    for comment, reason in ((reply, "A *personal* attack"), (first_page, "Spam")):
        services.flag_create(
            actor=UserFactory.create(), target_type="comment", target_id=comment.pk, reason=reason
        )
    proposal = ProposalFactory.create(issue=issue, created_by=reply.author, title="Annual report")
    services.flag_create(
        actor=UserFactory.create(), target_type="proposal", target_id=proposal.pk, reason="Copied"
    )
    case = ModerationCase.objects.get(subject=reply.author)
    admin = Client()
    admin.force_login(UserFactory.create(is_staff=True))
    with django_assert_max_num_queries(18):
        page = admin.get(f"/moderation/cases/{case.pk}/").content.decode()

    issue_url = f"/processes/{issue.process.slug}/issues/{issue.pk}/"
    assert (
        f'<a href="{issue_url}?page=2#comment-{reply.pk}">a comment on “Root zone stewardship”</a>'
        in page
    )
    assert f'#comment-{reply.pk}"' in page and "a comment #" not in page
    assert "<strong>insist</strong>" in page, "the report reads as the comment did"
    assert "<em>personal</em>" in page, "the reason is markdown too"
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert 'href="javascript:' not in page
    assert 'href="https://example.org"' in page
    assert f'href="{proposal.get_absolute_url()}">the proposal “Annual report”</a>' in page
    other_case = ModerationCase.objects.get(subject=first_page.author)
    other = admin.get(f"/moderation/cases/{other_case.pk}/").content.decode()
    assert f'href="{issue_url}#comment-{first_page.pk}"' in other, "page 1 needs no ?page="


def test_a_report_whose_target_is_gone_keeps_its_words_and_no_link() -> None:
    comment = CommentFactory.create()
    flag = services.flag_create(
        actor=UserFactory.create(), target_type="comment", target_id=comment.pk, reason="Spam"
    )
    type(flag).objects.filter(pk=flag.pk).update(target_id=987654)
    admin = Client()
    admin.force_login(UserFactory.create(is_staff=True))
    page = admin.get(f"/moderation/cases/{flag.case_id}/").content.decode()
    assert "a comment #987654" in page
    assert "?page=" not in page and "#comment-987654" not in page
