"""The hand-written reads of the issue page (deliberation.page_reads) give what the ORM gives."""

import pytest
from django.db.models import Model

from deliberation import page_reads, selectors, services
from deliberation.models import Comment, Issue, Proposal
from tests.consensus.conftest import Scene, make_scene

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(db: None) -> Scene:
    return make_scene()


def _fields(instance: Model) -> dict[str, object]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_issue_get_counts_threads_and_stays_in_its_process(scene: Scene) -> None:
    issue = scene.proposal.issue
    first = services.comment_create(actor=scene.facilitator, issue=issue, body="One")
    services.comment_create(actor=scene.facilitator, issue=issue, body="Two", parent=first)
    services.comment_create(actor=scene.facilitator, issue=issue, body="Three")
    read = page_reads.issue_get(scene.process, issue.pk)
    assert read is not None
    assert _fields(read) == _fields(Issue.objects.get(pk=issue.pk))
    assert read.thread_count == 2  # type: ignore[attr-defined]
    assert read.process is scene.process
    assert page_reads.issue_get(scene.process, issue.pk + 10_000) is None


def test_issue_proposals_count_versions(scene: Scene) -> None:
    issue = scene.proposal.issue
    services.version_publish(actor=scene.facilitator, proposal=scene.proposal, text="Version 2")
    newer = services.proposal_create(actor=scene.facilitator, issue=issue, title="B", text="b")
    read = page_reads.issue_proposals(issue)
    assert [p.pk for p in read] == [newer.pk, scene.proposal.pk]
    assert [(p.version_count, p.latest_number) for p in read] == [(1, 1), (2, 2)]  # type: ignore[attr-defined]
    assert _fields(read[1]) == _fields(Proposal.objects.get(pk=scene.proposal.pk))


def test_thread_comments_bring_author_hat_version_and_revisions(scene: Scene) -> None:
    issue = scene.proposal.issue
    version = scene.proposal.versions.get()
    author = scene.person("academia")
    top = services.comment_create(actor=author, issue=issue, body="Top", version=version)
    reply = services.comment_create(actor=scene.facilitator, issue=issue, body="Re", parent=top)
    services.comment_edit(actor=author, comment=top, body="Top, edited")
    another = services.comment_create(actor=author, issue=issue, body="Another thread")
    services.comment_create(actor=author, issue=issue, body="A thread not asked for")
    read = page_reads.thread_comments([top.pk, another.pk], issue)
    assert [c.pk for c in read] == [top.pk, reply.pk, another.pk]
    for comment in read:
        assert _fields(comment) == _fields(Comment.objects.get(pk=comment.pk))
        assert comment.issue is issue
    assert read[0].author.display_name == author.display_name
    assert read[0].affiliation.stakeholder_group == "academia"
    assert read[0].version is not None and read[0].version.number == 1
    assert read[1].version_id == version.pk  # a reply is on its parent's version
    assert read[2].version is None
    assert [c.revision_count for c in read] == [1, 0, 0]  # type: ignore[attr-defined]
    nested = selectors.threads([top], issue)
    assert [n.comment.pk for n in nested[0].replies] == [reply.pk]


def _counts(issues: list[Issue]) -> list[tuple[int, int]]:
    return [(getattr(i, "comment_count"), getattr(i, "proposal_count")) for i in issues]  # noqa: B009


def test_first_issues_count_and_order_as_the_query_of_every_page(scene: Scene) -> None:
    for n in range(3):
        issue = services.issue_create(
            actor=scene.facilitator, process=scene.process, title=f"Q{n}", body="b"
        )
        services.comment_create(actor=scene.facilitator, issue=issue, body="c")
    read, total = page_reads.first_issues(scene.process, 2)
    every = list(selectors.process_issues(scene.process))
    assert total == len(every) == 4
    assert [i.pk for i in read] == [i.pk for i in every[:2]]
    assert _counts(read) == _counts(every[:2])
    assert page_reads.first_issues(make_scene().process, 2)[1] == 1
