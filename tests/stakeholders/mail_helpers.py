"""Building replies to notification e-mails, as a person's mail client would."""

import re
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.core.mail import EmailMessage as DjangoMail
from django.utils import timezone

from deliberation import services as deliberation
from deliberation.models import Comment
from stakeholders.models import User
from tests.consensus.conftest import Scene


def reply_address(mail: DjangoMail) -> str:
    assert mail.reply_to, "a notification that takes replies carries a Reply-To"
    return str(mail.reply_to[0])


def mail_to(outbox: list[DjangoMail], user: User, title_part: str) -> DjangoMail:
    """The latest e-mail sent to the user whose subject contains title_part."""
    found = [m for m in outbox if user.email in m.to and title_part in m.subject]
    assert found, f"no mail to {user.email} about {title_part!r}: {[m.subject for m in outbox]}"
    return found[-1]


def reply(
    original: DjangoMail,
    *,
    sender: str,
    text: str,
    to: str | None = None,
    headers: dict[str, str] | None = None,
    html: str | None = None,
    charset: str = "utf-8",
) -> bytes:
    """A reply as Thunderbird or Gmail writes it: new text, a signature, the quoted original."""
    message = EmailMessage()
    message["From"] = f"Someone <{sender}>"
    message["To"] = to or reply_address(original)
    message["Subject"] = f"Re: {original.subject}"
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = make_msgid(domain="example.org")
    message["In-Reply-To"] = original.extra_headers.get("Message-ID", "")
    for name, value in (headers or {}).items():
        message[name] = value
    quoted = "\n".join(f"> {line}" for line in str(original.body).splitlines())
    signature = "-- \nA. Person\nSome organisation"
    body = f"{text}\n\n{signature}\n\nOn Tue, 1 Dec 2026 at 10:00, Footing wrote:\n{quoted}\n"
    if html is not None:
        message.set_content(html, subtype="html", charset=charset)
    else:
        message.set_content(
            body, charset=charset, cte="quoted-printable" if charset != "utf-8" else None
        )
    # With CRLF line ends, as a mail client sends it over SMTP (a bare LF would make the whole
    # message one overlong line for an SMTP server).
    return message.as_bytes(policy=policy.SMTP)


def confirmation_path(answer: DjangoMail) -> str:
    match = re.search(r"https?://[^/\s]+(/mail/ballots/[^/\s]+/)", str(answer.body))
    assert match, answer.body
    return match.group(1)


def comment_thread(scene: Scene, author: User, replier: User) -> Comment:
    """author comments, replier replies on the web: author is notified of the reply by e-mail."""
    issue = scene.proposal.issue
    first = deliberation.comment_create(actor=author, issue=issue, body="Start here.")
    return deliberation.comment_create(
        actor=replier, issue=issue, body="I disagree with the start.", parent=first
    )
