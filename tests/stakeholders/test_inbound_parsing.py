"""Reading raw e-mail without a database: machines told apart, charsets, HTML, quotes, and
Authentication-Results trusted only from our own server."""

import pytest

from stakeholders.inbound.authresults import authenticated
from stakeholders.inbound.parsing import REPLY_ABOVE, parse, strip_reply

BASE = b"From: Ana <ana@example.org>\r\nTo: reply+abc.def@localhost\r\nSubject: Re: x\r\n"


def _raw(headers: bytes = b"", body: bytes = b"Hello\r\n", content_type: bytes = b"") -> bytes:
    content_type = content_type or b'Content-Type: text/plain; charset="utf-8"\r\n'
    return BASE + headers + content_type + b"\r\n" + body


@pytest.mark.parametrize(
    ("headers", "envelope_from", "machine"),
    [
        (b"", "ana@example.org", False),
        (b"Auto-Submitted: no\r\n", "ana@example.org", False),
        (b"Auto-Submitted: auto-replied\r\n", "ana@example.org", True),
        (b"Auto-Submitted: auto-generated\r\n", "ana@example.org", True),
        (b"Precedence: bulk\r\n", "ana@example.org", True),
        (b"Precedence: auto_reply\r\n", "ana@example.org", True),
        (b"Precedence: junk\r\n", "ana@example.org", True),
        (b"Return-Path: <>\r\n", "ana@example.org", True),
        (b"", "", True),  # a bounce: the null envelope sender
        (b"X-Autoreply: yes\r\n", "ana@example.org", True),
    ],
)
def test_bounces_and_auto_replies_are_recognised(
    headers: bytes, envelope_from: str, machine: bool
) -> None:
    assert bool(parse(_raw(headers), envelope_from=envelope_from).automatic) is machine


def test_a_latin_1_body_is_decoded() -> None:
    raw = _raw(
        body="Très bien, ça me convient.\r\n".encode("latin-1"),
        content_type=b'Content-Type: text/plain; charset="iso-8859-1"\r\n'
        b"Content-Transfer-Encoding: 8bit\r\n",
    )
    assert parse(raw).reply == "Très bien, ça me convient."


def test_an_unknown_or_lying_charset_never_raises() -> None:
    unknown = _raw(
        body="Très".encode("latin-1"),
        content_type=b'Content-Type: text/plain; charset="x-no-such"\r\n',
    )
    assert parse(unknown).reply == "Très"
    lying = _raw(body=b"caf\xe9\r\n")  # says utf-8, is latin-1
    assert parse(lying).reply.startswith("caf")


def test_an_html_only_body_becomes_markdown_without_its_quote() -> None:
    html = (
        b"<div>I <strong>agree</strong>, see <a href='https://example.org/x'>this</a>.</div>"
        b"<div class='gmail_quote'>On Tue, 1 Dec 2026 at 10:00, Footing wrote:"
        b"<blockquote>the old text</blockquote></div>"
    )
    parsed = parse(_raw(body=html, content_type=b'Content-Type: text/html; charset="utf-8"\r\n'))
    assert parsed.reply == "I **agree** , see [this](https://example.org/x)."


def test_our_marker_cuts_the_quoted_notification_whatever_the_client() -> None:
    text = f"My answer.\n\nOn a day, Footing <noreply@x> a écrit :\n> {REPLY_ABOVE}\n> old"
    assert strip_reply(text) == "My answer."
    assert strip_reply(f"Top posted.\n\n{REPLY_ABOVE}\nThe notification") == "Top posted."


def test_markdown_lists_and_emphasis_are_kept_and_the_signature_dropped() -> None:
    text = "Two points:\n\n- one\n- *two*\n\n-- \nAna\nNGO"
    assert strip_reply(text) == "Two points:\n\n- one\n- *two*"


def test_a_malformed_message_parses_to_empty_fields() -> None:
    parsed = parse(b"\x00\xff garbage without headers")
    assert parsed.sender == ""
    assert parsed.reply_tokens("localhost") == []


def test_reply_tokens_are_read_from_our_domain_only() -> None:
    parsed = parse(_raw(), envelope_to=["reply+abc.def@elsewhere.org"])
    assert parsed.reply_tokens("localhost") == ["abc.def"]


OURS = "mx.footing.example"


@pytest.mark.parametrize(
    ("headers", "trusted"),
    [
        ([f"{OURS}; dkim=pass header.d=example.org header.s=s1"], True),
        ([f"{OURS}; dkim=pass header.d=mail.example.org"], True),
        ([f"{OURS}; spf=pass smtp.mailfrom=ana@example.org"], True),
        ([f"{OURS}; dmarc=pass header.from=example.org"], True),
        ([f"{OURS}; dkim=fail header.d=example.org"], False),
        ([f"{OURS}; dkim=pass header.d=attacker.net"], False),  # not aligned with From
        ([f"{OURS}; spf=pass smtp.mailfrom=x@attacker.net"], False),
        (["mx.attacker.net; dkim=pass header.d=example.org"], False),  # not our server
        ([f"{OURS}; dkim=fail", f"{OURS}; dkim=pass header.d=example.org"], False),  # topmost only
        ([f"{OURS}; dkim=pass header.d=org"], False),  # a bare top-level domain aligns nothing
        (["this is not ; an = Authentication-Results header;;"], False),
        ([], False),
    ],
)
def test_only_our_servers_aligned_pass_authenticates(headers: list[str], trusted: bool) -> None:
    assert authenticated(headers, authserv_id=OURS, from_domain="example.org") is trusted


def test_nothing_is_trusted_without_a_configured_authserv_id() -> None:
    header = [f"{OURS}; dkim=pass header.d=example.org"]
    assert authenticated(header, authserv_id="", from_domain="example.org") is False
