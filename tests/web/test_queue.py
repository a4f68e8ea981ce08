"""Queueing by task name: a task this process has not imported is still sent, by its name."""

from typing import Any

import pytest
from celery import current_app

from web import queue


def test_a_task_this_process_does_not_know_is_sent_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[tuple[str, Any]] = []
    monkeypatch.setattr(current_app, "send_task", lambda name, **kw: sent.append((name, kw)))
    assert queue.enqueue("elsewhere.not_imported_here", 7)
    assert sent == [("elsewhere.not_imported_here", {"args": (7,), "retry": False})]


def test_a_broker_failure_is_logged_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(name: str, **kw: Any) -> None:
        raise ConnectionError("broker down")

    monkeypatch.setattr(current_app, "send_task", refuse)
    assert queue.enqueue("elsewhere.not_imported_here", 7) is False
