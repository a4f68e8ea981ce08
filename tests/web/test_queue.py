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


def test_an_apps_task_not_yet_imported_is_imported_and_run_not_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A web process that has not imported the tasks modules imports them (as the worker does at
    start), so the task runs through itself — eagerly in the tests — instead of by name."""
    ran: list[int] = []
    sent: list[str] = []

    def import_tasks_modules() -> None:
        @current_app.task(name="elsewhere.imported_on_demand")
        def on_demand(value: int) -> None:
            ran.append(value)

    monkeypatch.setattr(current_app.loader, "import_default_modules", import_tasks_modules)
    monkeypatch.setattr(current_app, "send_task", lambda name, **kw: sent.append(name))
    try:
        assert queue.enqueue("elsewhere.imported_on_demand", 3)
    finally:
        current_app.tasks.pop("elsewhere.imported_on_demand", None)
    assert ran == [3]
    assert sent == []
