"""Every write of inbound mail: store a raw message, process it once, answer its sender."""

import logging
import traceback
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from stakeholders import mailtext
from stakeholders.inbound import authresults, parsing, registry, tokens
from stakeholders.inbound.models import (
    InboundMessage,
    InboundStatus,
    ReplyKey,
)
from stakeholders.models import User
from web.errors import StateConflict
from web.queue import enqueue_on_commit

logger = logging.getLogger(__name__)


@transaction.atomic
def inbound_store(
    *, raw: bytes, source: str, envelope_from: str = "", envelope_to: Iterable[str] = ()
) -> InboundMessage:
    """Keep a raw message exactly as received, then queue its processing after commit.

    Before: the message is at most INBOUND_HARD_MAX_BYTES (the listener and the webhook refuse
    larger ones at the door). After: the row exists whatever happens next; a lost queue message
    is picked up by the sweep (`stakeholders.retry_inbound_messages`).
    """
    message = InboundMessage.objects.create(
        raw=raw,
        size=len(raw),
        source=source,
        envelope_from=envelope_from[:320],
        envelope_to=[address[:320] for address in envelope_to][:50],
    )
    enqueue_on_commit("stakeholders.process_inbound_message", message.pk)
    return message


def inbound_process(*, message_id: int) -> str | None:
    """Process one stored message once; returns its new status (None: not ours to process now).

    The row is locked (skipped if another worker holds it). A refusal (unknown address, closed
    round, not a member…) ends as `rejected` and the sender is told why; an unexpected error
    rolls the handler's writes back and leaves the message `failed`, with its error, for the
    sweep to retry up to INBOUND_MAX_ATTEMPTS times. Answers are sent after commit.
    """
    answer: tuple[str, str] | None = None
    with transaction.atomic():
        message = (
            InboundMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status__in=(InboundStatus.RECEIVED, InboundStatus.FAILED))
            .first()
        )
        if message is None:
            return None
        message.attempts += 1
        parsed = parsing.parse(
            bytes(message.raw),
            envelope_from=message.envelope_from if message.source == "smtp" else None,
            envelope_to=message.envelope_to,
        )
        message.sender = parsed.sender[:320]
        try:
            with transaction.atomic():
                status, outcome, answer = _dispatch(message, parsed)
        except (registry.Refused, ValidationError, PermissionError, StateConflict) as refusal:
            status, outcome = InboundStatus.REJECTED, _reason(refusal)
            answer = (_("Your message could not be used"), outcome)
        except Exception as error:  # any handler's bug: keep the message, retry it later
            logger.exception("Inbound message %s failed.", message.pk)
            message.status = InboundStatus.FAILED
            message.error = "".join(traceback.format_exception_only(error)).strip()[:2000]
            message.save(update_fields=["attempts", "status", "error", "sender", "user"])
            return message.status
        message.status = status
        message.outcome = outcome[:2000]
        message.error = ""
        message.processed_at = timezone.now()
        if answer is not None and not _may_answer(parsed.sender):
            answer = None
        message.answered = answer is not None
        message.save()
        if answer is not None:
            subject, body = answer
            transaction.on_commit(lambda: _send_answer(parsed, subject, body), robust=True)
    return status


def _dispatch(
    message: InboundMessage, parsed: parsing.ParsedMail
) -> tuple[str, str, tuple[str, str] | None]:
    """(status, what happened, answer) for a message; raises Refused for an unusable one."""
    if parsed.automatic:
        return InboundStatus.IGNORED, _("Sent by a machine (%s).") % parsed.automatic, None
    if message.size > settings.INBOUND_MAX_BYTES:
        raise registry.Refused(
            _(
                "Your message is too large (%(size)s; at most %(max)s are read). Send your text"
                " without attachments."
            )
            % {
                "size": filesizeformat(message.size),
                "max": filesizeformat(settings.INBOUND_MAX_BYTES),
            }
        )
    key = _reply_key(parsed)
    user = key.user
    if user.email.lower() != parsed.sender:
        raise registry.Refused(
            _(
                "The address you replied to was given to another person. Reply from the"
                " address that received the notification, or take part on the web."
            )
        )
    message.user = user  # only once the sender is known to be the address's owner
    if not user.is_active or user.is_suspended:
        raise registry.Refused(
            _("Your account cannot take part at the moment; you can still read.")
        )
    hour_ago = timezone.now() - timedelta(hours=1)
    recent = InboundMessage.objects.filter(
        user=user, status=InboundStatus.PROCESSED, processed_at__gte=hour_ago
    ).count()
    if recent >= settings.INBOUND_MESSAGES_PER_HOUR:
        raise registry.Refused(_("You sent too many messages in the last hour; try again later."))
    if not parsed.reply.strip():
        raise registry.Refused(
            _("Your reply had no text of its own above the quoted message, so nothing was posted.")
        )
    handle = registry.handler(key.purpose)
    if handle is None:
        raise registry.Refused(_("This reply address no longer takes messages."))
    result = handle(
        registry.Incoming(
            inbound_id=message.pk,
            user=user,
            target_id=key.target_id,
            text=parsed.reply,
            authenticated=authresults.authenticated(
                parsed.authentication_results,
                authserv_id=settings.INBOUND_AUTHSERV_ID,
                from_domain=parsed.sender_domain,
            ),
        )
    )
    ReplyKey.objects.filter(pk=key.pk).update(used_at=timezone.now())
    answer = (
        (result.subject or _("Your message was received"), result.body) if result.body else None
    )
    return InboundStatus.PROCESSED, result.summary, answer


def _reason(refusal: Exception) -> str:
    """The plain words of a refusal: the same messages the web shows for the same rule."""
    if isinstance(refusal, registry.Refused):
        return refusal.reason
    if isinstance(refusal, ValidationError):
        return " ".join(str(m) for m in refusal.messages)
    return str(refusal)


def _reply_key(parsed: parsing.ParsedMail) -> ReplyKey:
    """The live reply key the message was sent to, or Refused with the reason."""
    found = parsed.reply_tokens(settings.INBOUND_EMAIL_DOMAIN)
    if not found:
        raise registry.Refused(
            _(
                "This address takes replies to %(site)s notifications only. Reply to a"
                " notification e-mail, or take part on the web."
            )
            % {"site": mailtext.site_name()}
        )
    unknown = _("The reply address is not one %(site)s gave out (it may have been altered).") % {
        "site": mailtext.site_name()
    }
    for token in found:
        key = tokens.verified_key(token)
        if key is None:
            continue
        row = ReplyKey.objects.select_related("user").filter(key=key).first()
        if row is None:
            continue
        if row.revoked_at is not None:
            raise registry.Refused(
                _(
                    "This reply address was revoked. Reply to a newer notification, or take"
                    " part on the web."
                )
            )
        return row
    raise registry.Refused(unknown)


def _may_answer(sender: str) -> bool:
    """Answer a sender at most INBOUND_ANSWERS_PER_HOUR times an hour: forged mail must not turn
    Footing into a source of backscatter."""
    if not sender or "@" not in sender:
        return False
    hour_ago = timezone.now() - timedelta(hours=1)
    answered = InboundMessage.objects.filter(
        sender=sender, answered=True, received_at__gte=hour_ago
    ).count()
    return answered < settings.INBOUND_ANSWERS_PER_HOUR


def _send_answer(parsed: parsing.ParsedMail, subject: str, body: str) -> None:
    """E-mail the sender, marked as an automatic reply (RFC 3834) in their message's thread."""
    headers = {"Auto-Submitted": "auto-replied"}
    if parsed.message_id:
        headers["In-Reply-To"] = parsed.message_id
        headers["References"] = parsed.message_id
    try:
        EmailMessage(
            subject=mailtext.subject(subject),
            body=mailtext.letter(body),
            to=[parsed.sender],
            headers=headers,
        ).send()
    except Exception:  # the mail backends' errors vary; the message itself is processed
        logger.exception("Could not answer %s.", parsed.sender)


def retryable_ids(*, older_than_seconds: int = 60) -> list[int]:
    """Messages never processed (lost queue message) or failed, oldest first, for the sweep."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return list(
        InboundMessage.objects.retryable(max_attempts=settings.INBOUND_MAX_ATTEMPTS)
        .filter(received_at__lte=cutoff)
        .order_by("received_at")
        .values_list("pk", flat=True)[:500]
    )


def mail_preference_save(*, actor: User, immediate_ballots: bool) -> None:
    """Store whether the actor's e-mailed ballots count at once when their mail is authenticated."""
    from stakeholders.inbound.models import MailPreference

    MailPreference.objects.update_or_create(
        user=actor, defaults={"immediate_ballots": immediate_ballots}
    )


@transaction.atomic
def reply_keys_revoke(*, actor: User) -> int:
    """Revoke every live reply address of the actor; returns how many."""
    return tokens.reply_keys_revoke(user_id=actor.pk)
