"""`manage.py inbound_smtp` as `make run` starts it: a real process that stores what it receives,
even while the queue is unreachable (the sweep then processes it)."""

import os
import signal
import smtplib
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from bench.stack import free_port, wait_for_port
from stakeholders.inbound.models import InboundMessage, InboundStatus
from stakeholders.tasks import retry_inbound_messages

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def test_the_listener_command_stores_mail_and_the_sweep_processes_it_when_the_queue_is_down() -> (
    None
):
    db = connection.settings_dict
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_OWNER_URL": "",  # the owner follows DATABASE_URL to the test database
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "inbound_smtp", "--port", str(port)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        try:
            wait_for_port(port, up=True, timeout=60)
        except TimeoutError:
            process.kill()
            pytest.fail(process.communicate()[0].decode())
        raw = b"From: a@example.org\r\nTo: reply+ab.cd@localhost\r\nSubject: hi\r\n\r\nHello\r\n"
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            client.sendmail("a@example.org", ["reply+ab.cd@localhost"], raw)
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert b"Inbound SMTP listening" in output
    message = InboundMessage.objects.get()
    assert message.status == InboundStatus.RECEIVED, "stored although its task could not be queued"
    InboundMessage.objects.update(received_at=timezone.now() - timedelta(minutes=5))
    assert retry_inbound_messages() == 1
    message.refresh_from_db()
    assert message.status == InboundStatus.REJECTED  # a made-up reply address
