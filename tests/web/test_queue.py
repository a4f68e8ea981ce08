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
    ran: list[tuple[Any, ...]] = []
    sent: list[str] = []

    class Task:
        def apply_async(self, *, args: tuple[Any, ...], retry: bool) -> None:
            ran.append(args)

    class App:
        tasks: dict[str, Task] = {}

        class loader:  # noqa: N801 - Celery's attribute name
            @staticmethod
            def import_default_modules() -> None:
                App.tasks["elsewhere.imported_on_demand"] = Task()

        @staticmethod
        def send_task(name: str, **kw: Any) -> None:
            sent.append(name)

    monkeypatch.setattr(queue, "current_app", App)
    assert queue.enqueue("elsewhere.imported_on_demand", 3)
    assert ran == [(3,)]
    assert sent == []
