"""The SMTP listener (aiosmtpd): accepts mail for our reply domain and stores it before all else."""

import logging
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from asgiref.sync import sync_to_async
from django.conf import settings

from stakeholders.inbound.models import InboundSource

logger = logging.getLogger(__name__)


def _store(raw: bytes, envelope_from: str, envelope_to: list[str]) -> int:
    from django.db import connections

    from stakeholders.inbound.services import inbound_store

    try:
        return inbound_store(
            raw=raw,
            source=InboundSource.SMTP,
            envelope_from=envelope_from,
            envelope_to=envelope_to,
        ).pk
    finally:
        # One connection per message, closed in the worker thread that opened it: mail arrives
        # far less often than requests, and no connection outlives a database restart.
        connections.close_all()


class InboundHandler:
    """aiosmtpd handler: refuses recipients outside our domain, stores every accepted message."""

    def __init__(self, domain: str | None = None) -> None:
        self.domain = (domain or settings.INBOUND_EMAIL_DOMAIN).lower()

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook names
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address.rpartition("@")[2].lower() != self.domain:
            return "550 5.1.1 Not a Footing address (we relay nothing)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        try:
            # The ORM is synchronous: run it in a thread so that the event loop keeps serving.
            pk = await sync_to_async(_store, thread_sensitive=False)(
                raw, envelope.mail_from or "", list(envelope.rcpt_tos)
            )
        except Exception:  # the database is down: the sending server keeps it and retries
            logger.exception("Could not store an inbound message.")
            return "451 4.3.0 Temporary failure, try again later"
        logger.info("Stored inbound message %s (%d bytes).", pk, len(raw))
        return "250 OK stored"


def controller(
    host: str | None = None, port: int | None = None, domain: str | None = None
) -> Controller:
    """A listener, not yet started; messages past INBOUND_HARD_MAX_BYTES get 552 at the door."""
    return Controller(
        InboundHandler(domain),
        hostname=host or settings.INBOUND_SMTP_HOST,
        port=port if port is not None else settings.INBOUND_SMTP_PORT,
        data_size_limit=settings.INBOUND_HARD_MAX_BYTES,
        decode_data=False,
        server_hostname=domain or settings.INBOUND_EMAIL_DOMAIN,
        ready_timeout=10.0,
    )
