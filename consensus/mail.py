"""Ballots by e-mail: the thread of a "round is open" notification and the handler of its replies
(registered with stakeholders.inbound in ConsensusConfig.ready; docs/design.md §2.6)."""

import re
from collections.abc import Sequence

from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from django.utils import formats
from django.utils.translation import gettext as _

from consensus.mail_ballots import confirmation_token, email_ballot_receive
from consensus.models import EmailBallotState, Position, Round
from consensus.notifications import ROUND
from stakeholders.inbound.models import MailPreference
from stakeholders.inbound.registry import Answer, Incoming, Refused, Thread
from stakeholders.models import Notification

# The keyword on the first line, in the UI's languages (Arabic readers may use the English word).
KEYWORDS = {
    Position.SUPPORT: ("support", "soutien", "soutiens", "apoyo", "apoyar"),
    Position.ACCEPT: ("accept", "accepte", "accepter", "acepto", "aceptar"),
    Position.ABSTAIN: ("abstain", "abstention", "abstenir", "abstención", "abstencion"),
    Position.OBJECT: ("object", "objection", "objeto", "objeción", "objecion"),
}
_WORD = {word: position for position, words in KEYWORDS.items() for word in words}


def instructions() -> str:
    return _(
        "To answer by e-mail, reply with one word on the first line: support, accept, abstain"
        " or object, and your reasons on the lines below (an objection needs them). We send"
        " back a link: your ballot counts once you follow it."
    )


def read_ballot(text: str) -> tuple[str, str] | None:
    """(position, rationale) from a reply whose first line is one keyword, else None."""
    lines = text.strip().splitlines()
    if not lines:
        return None
    word = re.sub(r"[^\w]", "", lines[0].strip().lower())
    position = _WORD.get(word)
    if position is None:
        return None
    return position, "\n".join(lines[1:]).strip()


def threads(notifications: Sequence[Notification]) -> dict[int, Thread]:
    """ "A round is open" notifications: replies to them are ballots. One query for the issues."""
    rounds: dict[int, list[int]] = {}
    for notification in notifications:
        if notification.kind != ROUND:
            continue
        try:
            match = resolve(notification.url)
        except Resolver404:
            continue
        if match.view_name == "consensus:round":
            rounds.setdefault(int(match.kwargs["pk"]), []).append(notification.pk)
    found: dict[int, Thread] = {}
    if rounds:
        text = instructions()
        for pk, issue_id in Round.objects.filter(pk__in=rounds).values_list(
            "pk", "version__proposal__issue_id"
        ):
            for notification_id in rounds[pk]:
                found[notification_id] = Thread("round", pk, issue_id, text)
    return found


def ballot_by_mail(incoming: Incoming) -> Answer:
    """A reply to a "round is open" e-mail: a pending ballot and its confirmation link, or a
    ballot counted at once for a person who opted in and whose mail was authenticated."""
    round_ = (
        Round.objects.select_related("process", "version__proposal").filter(pk=incoming.target_id)
    ).first()
    if round_ is None:
        raise Refused(_("The round you replied to no longer exists."))
    title = round_.version.proposal.title
    link = f"{settings.SITE_URL}{round_.get_absolute_url()}"
    if not round_.accepting_ballots:
        raise Refused(
            _(
                "The round on “%(title)s” is closed (its deadline was %(deadline)s), so your"
                " ballot was not counted. Its outcome: %(link)sresult/"
            )
            % {
                "title": title,
                "deadline": formats.date_format(round_.closes_at, "DATETIME_FORMAT"),
                "link": link,
            }
        )
    if not incoming.user.has_perm("consensus.vote_in_process", round_):
        raise Refused(
            _(
                "Only participants of the process can cast a ballot on “%(title)s”. Join the"
                " process on the web, then reply again: %(link)s"
            )
            % {"title": title, "link": link}
        )
    read = read_ballot(incoming.text)
    if read is None:
        raise Refused(_("Your ballot could not be read. ") + instructions())
    position, rationale = read
    if position == Position.OBJECT and not rationale:
        raise Refused(
            _("An objection needs a rationale: say why you cannot live with it, below the word.")
        )
    preference = MailPreference.objects.filter(user=incoming.user).first()
    immediate = bool(preference and preference.immediate_ballots and incoming.authenticated)
    email_ballot = email_ballot_receive(
        actor=incoming.user,
        round_=round_,
        position=position,
        rationale=rationale,
        inbound_id=incoming.inbound_id,
        immediate=immediate,
    )
    label = Position(position).label
    if email_ballot.state == EmailBallotState.CONFIRMED:
        return Answer(
            summary=_("Ballot %d counted at once (authenticated, opted in).")
            % (email_ballot.ballot_id or 0),
            subject=_("Your ballot on “%s” counts") % title,
            body=_("Your ballot “%(label)s” on “%(title)s” counts. %(link)s")
            % {"label": label, "title": title, "link": link},
        )
    confirm = reverse("consensus:email_ballot", args=[confirmation_token(email_ballot)])
    return Answer(
        summary=_("Ballot by e-mail %d waits for its confirmation.") % email_ballot.pk,
        subject=_("Confirm your ballot on “%s”") % title,
        body=_(
            "We read your ballot on “%(title)s” as: %(label)s.\n\nIt counts once you confirm it"
            " here (the link works once):\n%(confirm)s\n\nTo change it, reply again to the"
            " round's e-mail, or use the round's page: %(link)s"
        )
        % {
            "title": title,
            "label": label,
            "confirm": f"{settings.SITE_URL}{confirm}",
            "link": link,
        },
    )


def connect() -> None:
    from stakeholders.inbound import registry

    registry.register_threads(threads)
    registry.register_handler("round", ballot_by_mail)
