"""Reading a raw e-mail: its sender, reply addresses, useful text, and whether a machine sent it."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr

import html2text
from mailparser_reply.parser import EmailMessage as ReplyMessage

# Written above the text of every notification that takes replies; whatever follows it in a
# reply is the quoted notification, whatever the mail client's quoting style (docs/design.md §2.6).
REPLY_ABOVE = "-- Reply above this line --"
# The languages whose "On … wrote:" headers mail-parser-reply knows and our users write in
# (it has no Arabic rules; Arabic clients still quote with ">" lines, which it strips).
REPLY_LANGUAGES = ["en", "fr", "es"]
AUTOMATIC_PRECEDENCE = {"bulk", "auto_reply", "junk", "list"}
MACHINE_SENDERS = re.compile(r"^(mailer-daemon|postmaster|no-?reply)@", re.IGNORECASE)
REPLY_LOCAL = re.compile(r"^reply\+([0-9a-z]+\.[0-9a-z]+)$", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedMail:
    """What the dispatch needs of a message, every field already decoded."""

    sender: str
    recipients: tuple[str, ...]
    subject: str
    message_id: str
    text: str
    reply: str
    automatic: str
    authentication_results: tuple[str, ...]

    @property
    def sender_domain(self) -> str:
        return self.sender.rpartition("@")[2]

    def reply_tokens(self, domain: str) -> list[str]:
        """The tokens of the reply addresses at our domain this message was sent to."""
        tokens = []
        for address in self.recipients:
            local, _, host = address.rpartition("@")
            match = REPLY_LOCAL.match(local)
            if match and host == domain.lower():
                tokens.append(match.group(1).lower())
        return list(dict.fromkeys(tokens))


def automatic_reason(message: Message, envelope_from: str | None) -> str:
    """Why the message was sent by a machine (RFC 3834 and common practice), or '' for a person.

    Bounces come with a null sender (`MAIL FROM:<>`, kept as an empty Return-Path) or as a
    multipart/report; auto-replies say so with `Auto-Submitted` or a `Precedence` header.
    """
    submitted = str(message.get("Auto-Submitted", "")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return_path = message.get("Return-Path")
    checks = (
        (bool(submitted) and submitted.split(";")[0].strip() != "no", "Auto-Submitted"),
        (precedence in AUTOMATIC_PRECEDENCE, f"Precedence: {precedence}"),
        (return_path is not None and str(return_path).strip() in ("<>", ""), "empty Return-Path"),
        (envelope_from is not None and envelope_from.strip() in ("", "<>"), "null sender"),
        (message.get_content_type() == "multipart/report", "delivery report"),
        ("X-Autoreply" in message or "X-Autorespond" in message, "X-Autoreply"),
        (bool(MACHINE_SENDERS.match(parseaddr(str(message.get("From", "")))[1])), "machine"),
    )
    return next((reason for matched, reason in checks if matched), "")


def _decoded(part: Message) -> str:
    """A text part's content, whatever its charset says; unknown or lying charsets never raise."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return str(part.get_payload() or "")
    charset = part.get_content_charset() or "utf-8"
    for candidate in (charset, "utf-8"):
        try:
            return payload.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1")  # every byte is a latin-1 character: the last resort


def html_to_text(html: str) -> str:
    """HTML as markdown-flavoured text (html2text keeps emphasis, links, lists and quotes)."""
    converter = html2text.HTML2Text()
    converter.body_width = 0
    converter.ignore_images = True
    return str(converter.handle(html)).strip()


def body_text(message: Message) -> str:
    """The message's text: its text/plain part, else its HTML part converted, else ''."""
    plain: Message | None = None
    html: Message | None = None
    if isinstance(message, EmailMessage):
        try:
            plain = message.get_body(preferencelist=("plain",))
            html = None if plain is not None else message.get_body(preferencelist=("html",))
        except (KeyError, LookupError, ValueError):
            plain = html = None
    if plain is None and html is None:
        for part in message.walk():
            if part.get_content_type() == "text/plain" and plain is None:
                plain = part
            elif part.get_content_type() == "text/html" and html is None:
                html = part
    if plain is not None:
        return _decoded(plain).replace("\r\n", "\n")
    if html is not None:
        return html_to_text(_decoded(html))
    return ""


def strip_reply(text: str) -> str:
    """The new text of a reply: our marker and everything after it, the quoted message and the
    signature removed (mail-parser-reply: maintained, multi-language, no native dependencies, as
    opposed to talon's unmaintained machine-learned model)."""
    # keep_hyphen_lists: a markdown list ("- item") is text, not the start of a signature.
    parsed = ReplyMessage(text=text, languages=REPLY_LANGUAGES, keep_hyphen_lists=True).read()
    body = str(parsed.replies[0].body) if parsed.replies else text
    head, marker, _ = body.partition(REPLY_ABOVE)
    if marker:  # the marker's line may start with a quote prefix: drop that line whole
        lines = head.rstrip().splitlines()[:-1] if not head.endswith("\n") else head.splitlines()
        while lines and not lines[-1].strip():
            lines.pop()
        # …and the client's attribution line just above it ("On <date>, Footing <…> wrote:"),
        # in a language or shape the library did not recognise.
        if lines and lines[-1].rstrip().endswith(":") and "@" in lines[-1]:
            lines.pop()
        body = "\n".join(lines)
    return str(body).strip()


def _addresses(values: Iterable[str]) -> list[str]:
    return [address.lower() for _, address in getaddresses(list(values)) if "@" in address]


def parse(
    raw: bytes, *, envelope_from: str | None = None, envelope_to: Iterable[str] = ()
) -> ParsedMail:
    """Read a raw RFC 822 message; never raises on a malformed one (its fields come out empty)."""
    message = message_from_bytes(raw, policy=policy.default)
    headers: list[str] = []
    for name in ("To", "Cc", "Delivered-To", "X-Original-To"):
        headers.extend(str(value) for value in message.get_all(name, []))
    recipients = tuple(dict.fromkeys([*(a.lower() for a in envelope_to), *_addresses(headers)]))
    try:
        sender = parseaddr(str(message.get("From", "")))[1].lower()
    except (IndexError, ValueError):  # the header parser gives up on some forged headers
        sender = ""
    text = body_text(message)
    return ParsedMail(
        sender=sender,
        recipients=recipients,
        subject=str(message.get("Subject", "")).strip()[:300],
        message_id=str(message.get("Message-ID", "")).strip()[:300],
        text=text,
        reply=strip_reply(text),
        automatic=automatic_reason(message, envelope_from),
        authentication_results=tuple(
            str(value) for value in message.get_all("Authentication-Results", [])
        ),
    )
