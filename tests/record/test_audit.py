"""The audit record in PostgreSQL: appends chain, the trigger refuses edits, tampering is found."""

import threading

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from record.dbroles import as_owner
from record.models import AuditEvent
from record.selectors import audit_chain_break
from record.services import audit_append
from tests.record.tampering import tamper

pytestmark = pytest.mark.django_db


def test_appends_link_each_event_to_the_previous_one() -> None:
    first = audit_append(actor=None, action="test.one", obj="test:1", process=None, data={"x": 1})
    second = audit_append(actor=None, action="test.two", obj="test:2", process=None)
    assert (first.seq, second.seq) == (1, 2)
    assert second.prev_hash == first.hash
    assert audit_chain_break() is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE record_auditevent SET action = 'x'",
        "DELETE FROM record_auditevent",
        "TRUNCATE record_auditevent",
    ],
)
def test_the_triggers_refuse_even_the_owner_to_edit_or_remove(statement: str) -> None:
    audit_append(actor=None, action="test.one", obj="test:1", process=None)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        as_owner(),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.count() == 1


def test_the_orm_cannot_edit_an_event_either() -> None:
    event = audit_append(actor=None, action="test.one", obj="test:1", process=None)
    event.action = "forged"
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()


@pytest.mark.django_db(transaction=True)
def test_verify_audit_names_the_first_tampered_link(capsys: pytest.CaptureFixture[str]) -> None:
    for n in range(1, 6):
        audit_append(actor=None, action="test.step", obj=f"test:{n}", process=None, data={"n": n})
    call_command("verify_audit")
    assert "5 events" in capsys.readouterr().out

    tamper(3, {"n": 300})
    with pytest.raises(CommandError, match="#3"):
        call_command("verify_audit")


@pytest.mark.django_db(transaction=True)
def test_verify_audit_exits_with_status_1_when_broken(capsys: pytest.CaptureFixture[str]) -> None:
    audit_append(actor=None, action="test.step", obj="test:1", process=None, data={"n": 1})
    tamper(1, {"n": 2})
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "verify_audit"]).execute()
    assert exited.value.code == 1
    assert "broken at event #1" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_never_fork_the_chain() -> None:
    errors: list[BaseException] = []

    def append_many(worker: int) -> None:
        try:
            for n in range(10):
                with transaction.atomic():
                    audit_append(
                        actor=None, action="test.concurrent", obj=f"test:{worker}-{n}", process=None
                    )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=append_many, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.count() == 80
    assert audit_chain_break() is None
