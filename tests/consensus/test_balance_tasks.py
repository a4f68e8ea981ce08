"""Balance snapshots on a schedule, on round close, on demand, and by management command."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from consensus import services as consensus_services
from consensus import tasks
from consensus.balance import selectors as balance_selectors
from consensus.balance import services as balance_service
from consensus.models import BalanceSnapshot, Round, SnapshotTrigger
from deliberation import services as deliberation_services
from deliberation.models import Process, ProcessStatus
from tests.consensus.balance_helpers import open_round
from tests.factories import ParticipationFactory, ProcessFactory
from web import queue

pytestmark = pytest.mark.django_db


def _with_a_comment(process: Process) -> Process:
    member = ParticipationFactory.create(process=process).user
    issue = deliberation_services.issue_create(actor=member, process=process, title="T", body="B")
    deliberation_services.comment_create(actor=member, issue=issue, body="Hello")
    return process


def test_the_beat_is_scheduled_every_fifteen_minutes_by_default() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["snapshot-balance"]
    assert entry["task"] == "consensus.snapshot_open_processes"
    assert entry["schedule"] == timedelta(minutes=15)


def test_the_beat_snapshots_open_processes_only() -> None:
    open_one = _with_a_comment(ProcessFactory.create())
    draft = _with_a_comment(ProcessFactory.create(status=ProcessStatus.DRAFT))
    concluded = ProcessFactory.create(status=ProcessStatus.CONCLUDED)
    archived = ProcessFactory.create(archived_at=timezone.now())

    measured = tasks.snapshot_open_processes()

    assert measured == [open_one.pk]
    snapshot = BalanceSnapshot.objects.get()
    assert (snapshot.process, snapshot.trigger) == (open_one, SnapshotTrigger.PERIODIC)
    assert snapshot.totals["comments"] == 1
    for process in (draft, concluded, archived):
        assert not BalanceSnapshot.objects.filter(process=process).exists()
    assert tasks.snapshot_open_processes() == [open_one.pk]
    assert BalanceSnapshot.objects.count() == 1, "nothing changed, nothing stored"


def _round_of(process: Process) -> Round:
    facilitator = process.created_by
    issue = deliberation_services.issue_create(
        actor=facilitator, process=process, title="T", body="B"
    )
    proposal = deliberation_services.proposal_create(
        actor=facilitator, issue=issue, title="P", text="Text"
    )
    return open_round(proposal.versions.get(), facilitator)


def test_closing_a_round_queues_its_snapshot_after_commit(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    process = _with_a_comment(ProcessFactory.create())
    round_ = _round_of(process)
    queued: list[tuple[str, tuple[Any, ...]]] = []
    monkeypatch.setattr(queue, "enqueue", lambda name, *args: queued.append((name, args)))

    with django_capture_on_commit_callbacks(execute=True):
        consensus_services.round_close(actor=process.created_by, round_=round_)

    assert ("consensus.snapshot_balance", (process.pk, round_.pk)) in queued
    assert ("consensus.compute_outcome", (round_.pk,)) in queued


def test_the_round_close_snapshot_is_taken_once_as_of_the_close() -> None:
    process = _with_a_comment(ProcessFactory.create())
    round_ = _round_of(process)
    closed = consensus_services.round_close(actor=process.created_by, round_=round_)
    _with_a_comment(process)

    first = tasks.snapshot_balance(process.pk, round_.pk)
    again = tasks.snapshot_balance(process.pk, round_.pk)

    snapshot = BalanceSnapshot.objects.get(pk=first)
    assert again == first
    assert (snapshot.trigger, snapshot.round_id) == (SnapshotTrigger.ROUND_CLOSE, round_.pk)
    assert snapshot.computed_at == closed.closed_at
    # The comment posted after the close is not in the round-close snapshot.
    assert snapshot.totals["comments"] == 1


def test_the_beat_takes_a_round_close_snapshot_whose_task_was_lost() -> None:
    process = _with_a_comment(ProcessFactory.create(status=ProcessStatus.CONCLUDED))
    round_ = _round_of(process)
    consensus_services.round_close(actor=process.created_by, round_=round_)

    tasks.snapshot_open_processes()

    snapshot = BalanceSnapshot.objects.get(process=process)
    assert (snapshot.trigger, snapshot.round_id) == (SnapshotTrigger.ROUND_CLOSE, round_.pk)
    tasks.snapshot_open_processes()
    assert BalanceSnapshot.objects.filter(process=process).count() == 1


def test_the_task_snapshots_one_process_periodically() -> None:
    process = _with_a_comment(ProcessFactory.create())

    snapshot = BalanceSnapshot.objects.get(pk=tasks.snapshot_balance(process.pk))

    assert (snapshot.process, snapshot.trigger) == (process, SnapshotTrigger.PERIODIC)


def test_compute_balance_prints_what_it_did() -> None:
    process = _with_a_comment(ProcessFactory.create(slug="igf-2026"))
    out = StringIO()

    call_command("compute_balance", stdout=out)
    call_command("compute_balance", stdout=out)
    call_command("compute_balance", "--process", "igf-2026", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("igf-2026: snapshot at ")
    assert "1 contribution by 1 person;" in lines[0]
    assert "stakeholder_group 0.00" in lines[0]
    assert lines[1] == "Measured 1 open process; took 0 missing round-close snapshots."
    assert lines[2].startswith("igf-2026: unchanged since ")
    assert lines[4].startswith("igf-2026: snapshot at ")
    triggers = list(
        BalanceSnapshot.objects.filter(process=process)
        .order_by("computed_at")
        .values_list("trigger", flat=True)
    )
    assert triggers == [SnapshotTrigger.PERIODIC, SnapshotTrigger.ON_DEMAND]


def test_compute_balance_names_an_unknown_process() -> None:
    with pytest.raises(CommandError, match="No process with the slug 'nope'"):
        call_command("compute_balance", "--process", "nope")


def test_two_workers_racing_for_the_round_close_snapshot_store_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    process = _with_a_comment(ProcessFactory.create())
    round_ = consensus_services.round_close(actor=process.created_by, round_=_round_of(process))
    first = balance_service.balance_snapshot_round(round_=round_)
    # The second worker read "none yet" before the first one's insert committed.
    monkeypatch.setattr(balance_selectors, "round_close_snapshot", lambda round_: None)

    second = balance_service.balance_snapshot_round(round_=round_)

    assert second == first
    assert BalanceSnapshot.objects.filter(round=round_).count() == 1
