"""Witnesses of the chain head: published on the record page, in the API and in a daily signed log
line; `verify_audit --against HASH@SEQ` proves a saved head is still in the chain."""

import logging

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client
from rest_framework.test import APIClient

from record.dbroles import as_owner
from record.services import audit_append
from record.tasks import publish_chain_head
from tests.record.tampering import tamper


def _append(n: int) -> None:
    for step in range(1, n + 1):
        audit_append(
            actor=None, action="test.step", obj=f"test:{step}", process=None, data={"n": step}
        )


@pytest.mark.django_db
def test_the_head_is_published_on_the_record_page_and_in_the_api(api_client: APIClient) -> None:
    assert api_client.get("/api/v1/audit/head/").status_code == 404
    _append(3)
    head = api_client.get("/api/v1/audit/head/").json()
    events = api_client.get("/api/v1/audit/").json()["results"]
    assert head["seq"] == 3
    assert head["hash"] == events[-1]["hash"]
    assert head["witness"] == f"{events[-1]['hash']}@3"
    assert head["witness"] in Client().get("/record/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_verify_against_a_saved_head_finds_a_rewritten_history(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _append(5)
    saved = APIClient().get("/api/v1/audit/head/").json()["witness"]
    call_command("verify_audit", "--against", saved)
    assert f"still holds the saved head {saved}" in capsys.readouterr().out

    # The owner rewrites event 2 and recomputes every hash after it: the chain verifies again…
    tamper(2, {"n": 200}, rehash=True)
    call_command("verify_audit")
    # …but no longer holds the head a reader saved before.
    with pytest.raises(CommandError, match="event #5 now has hash"):
        call_command("verify_audit", "--against", saved)


@pytest.mark.django_db(transaction=True)
def test_verify_against_a_saved_head_finds_removed_events() -> None:
    _append(4)
    saved = APIClient().get("/api/v1/audit/head/").json()["witness"]
    with as_owner(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE record_auditevent DISABLE TRIGGER record_auditevent_append_only"
        )
        cursor.execute("DELETE FROM record_auditevent WHERE seq = 4")
        cursor.execute("ALTER TABLE record_auditevent ENABLE TRIGGER record_auditevent_append_only")
    call_command("verify_audit")
    with pytest.raises(CommandError, match="now ends at #3"):
        call_command("verify_audit", "--against", saved)


@pytest.mark.django_db
def test_the_daily_witness_line_is_signed_and_can_be_verified_against(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert "publish-audit-chain-head" in settings.CELERY_BEAT_SCHEDULE
    _append(2)
    with caplog.at_level(logging.INFO, logger="footing.witness"):
        line = publish_chain_head.delay().get()
    assert line is not None
    assert line in caplog.text
    assert "2 events, verified" in line
    signed = line.split()[3]
    call_command("verify_audit", "--against", signed)
    forged = signed[:-3] + ("aaa" if not signed.endswith("aaa") else "bbb")
    with pytest.raises(CommandError, match="signature"):
        call_command("verify_audit", "--against", forged)


@pytest.mark.django_db
@pytest.mark.parametrize("saved", ["nonsense", "abc@1", f"{'0' * 64}@0"])
def test_verify_against_refuses_what_is_not_a_witness(saved: str) -> None:
    _append(1)
    with pytest.raises(CommandError, match="not a witness"):
        call_command("verify_audit", "--against", saved)
