"""Round notifications state their deadline in the reader's language and in UTC, saying so —
opening, closing soon (once per deadline, to those who have not voted) and extension — and every
e-mail greets and signs with the site's name, never the server's address."""

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import environ
import pytest
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone as django_timezone
from pytest_django.fixtures import Settings

from config.beat import beat_schedule
from consensus import closeout, services
from consensus.models import Round
from consensus.tasks import send_round_reminders
from stakeholders.models import Notification, User
from stakeholders.subscriptions.models import DigestFrequency, DigestPreference
from stakeholders.tasks import send_digests
from tests.consensus.conftest import Scene
from tests.stakeholders.mail_helpers import mail_to

pytestmark = pytest.mark.django_db

# 20:00 in Nairobi is 17:00 UTC, on a Thursday.
DEADLINE = datetime(2030, 12, 12, 20, 0, tzinfo=timezone(timedelta(hours=3)))
SITE = "IGF Commons"


@pytest.fixture(autouse=True)
def _site(settings: Settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_NAME = SITE
    settings.SITE_URL = "http://127.0.0.1:8000"


def _speaking(user: User, language: str) -> User:
    User.objects.filter(pk=user.pk).update(languages=[language])
    user.refresh_from_db()
    return user


def _opened(scene: Scene, capture: Any, closes_at: datetime = DEADLINE) -> Round:
    version = scene.proposal.versions.get()
    with capture(execute=True):
        round_ = services.round_create(
            actor=scene.facilitator, version=version, closes_at=closes_at
        )
        return services.round_open(actor=scene.facilitator, round_=round_)


def _without_links(text: str) -> str:
    return " ".join(word for word in text.split() if not word.startswith("http"))


def test_the_opening_mail_states_the_deadline_in_each_readers_language_and_in_utc(
    scene: Scene, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    french = _speaking(scene.person("government"), "fr")
    english = _speaking(scene.person("academia"), "en")
    _opened(scene, django_capture_on_commit_callbacks)

    to_french = mail_to(mailoutbox, french, "consensus round is open")
    assert "jeudi 12 décembre 2030 à 17:00 UTC" in to_french.body
    assert isinstance(to_french, EmailMultiAlternatives)
    assert "jeudi 12 décembre 2030 à 17:00 UTC" in str(to_french.alternatives[0][0])
    to_english = mail_to(mailoutbox, english, "consensus round is open")
    assert "Deadline: Thursday 12 December 2030, 17:00 UTC" in to_english.body

    # Greeting and signature name the site, each in the reader's language.
    voices = {
        to_french: (
            f"Bonjour de la part de {SITE},",
            f"{SITE} — délibérer sur un pied d'égalité, en recherchant un consensus approximatif.",
        ),
        to_english: (
            f"Hello from {SITE},",
            f"{SITE} — deliberation on an equal footing, seeking rough consensus.",
        ),
    }
    for message, (greeting, signature) in voices.items():
        assert isinstance(message, EmailMultiAlternatives)
        body = str(message.body)
        assert message.subject.startswith(f"[{SITE}] ")
        # The greeting comes after the marker a reply is written above.
        assert body.startswith(f"-- Reply above this line --\n\n{greeting}\n")
        assert body.rstrip().endswith(f"-- \n{signature}")
        assert "127.0.0.1" not in _without_links(body)
        html = str(message.alternatives[0][0])
        assert f"<title>{SITE}</title>" in html and greeting in html
        assert "127.0.0.1" not in html.replace('href="http://127.0.0.1:8000', "")
    note = Notification.objects.get(user=english, title__startswith="A consensus round is open")
    assert note.deadline == DEADLINE


def test_the_inbox_and_the_api_show_the_deadline_too(
    scene: Scene, django_capture_on_commit_callbacks: Any, client: Any
) -> None:
    person = scene.person("government")
    _opened(scene, django_capture_on_commit_callbacks)
    client.force_login(person)
    page = client.get("/me/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Deadline: Thursday 12 December 2030, 17:00 UTC" in page
    answer = client.get("/api/v1/notifications/").json()["results"][0]
    assert answer["deadline"] == "2030-12-12T17:00:00Z"


def test_an_extension_states_the_new_deadline(
    scene: Scene, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    voter = _speaking(scene.person("civil_society"), "es")
    round_ = _opened(scene, django_capture_on_commit_callbacks)
    later = datetime(2030, 12, 19, 9, 30, tzinfo=UTC)
    with django_capture_on_commit_callbacks(execute=True):
        closeout.round_extend(actor=scene.facilitator, round_=round_, closes_at=later)
    message = mail_to(mailoutbox, voter, "More time to vote")
    assert "jueves 19 de diciembre de 2030, 09:30 UTC" in message.body
    assert message.subject.startswith(f"[{SITE}] ")


def test_closing_soon_is_told_once_per_deadline_to_those_who_have_not_voted(
    scene: Scene, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    voter, silent = scene.person("government"), scene.person("academia")
    round_ = _opened(scene, django_capture_on_commit_callbacks)
    services.ballot_cast(actor=voter, round_=round_, position="support")
    assert send_round_reminders() == [], "three days ahead: not yet"

    soon = django_timezone.now() + timedelta(hours=5)
    Round.objects.filter(pk=round_.pk).update(closes_at=soon)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_round_reminders() == [round_.pk]
        assert send_round_reminders() == [], "each deadline is announced once"
    reminded = Notification.objects.filter(title__contains="closes soon")
    assert list(reminded.values_list("user_id", flat=True)) == [silent.pk]
    assert reminded.get().deadline == soon
    message = mail_to(mailoutbox, silent, "closes soon")
    assert "Deadline: " in message.body and " UTC" in message.body
    assert not [m for m in mailoutbox if voter.email in m.to and "closes soon" in m.subject]

    # A later deadline is announced again when it nears; an extension into the window is its
    # own announcement.
    round_.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        closeout.round_extend(
            actor=scene.facilitator, round_=round_, closes_at=soon + timedelta(hours=2)
        )
    assert send_round_reminders() == []
    Round.objects.filter(pk=round_.pk).update(closes_at=soon + timedelta(hours=3))
    assert send_round_reminders() == [round_.pk]


def test_a_round_opened_close_to_its_deadline_is_not_announced_twice(
    scene: Scene, django_capture_on_commit_callbacks: Any
) -> None:
    scene.person("government")
    _opened(scene, django_capture_on_commit_callbacks, django_timezone.now() + timedelta(hours=3))
    assert send_round_reminders() == []


def test_the_reminders_run_on_the_beat() -> None:
    tasks = {entry["task"] for entry in beat_schedule(environ.Env(), 60).values()}
    assert "consensus.send_round_reminders" in tasks


def test_the_digest_greets_signs_and_states_deadlines(
    scene: Scene, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    person = _speaking(scene.person("government"), "en")
    DigestPreference.objects.create(user=person, frequency=DigestFrequency.DAILY, kinds=["round"])
    _opened(scene, django_capture_on_commit_callbacks)
    assert send_digests() == 1
    (digest,) = [m for m in mailoutbox if person.email in m.to]
    assert digest.subject == f"[{SITE}] Your daily digest: 1 notification"
    assert digest.body.startswith(f"Hello from {SITE},")
    assert "Deadline: Thursday 12 December 2030, 17:00 UTC" in digest.body
    assert digest.body.rstrip().endswith(
        f"{SITE} — deliberation on an equal footing, seeking rough consensus."
    )
    assert "Deadline: Thursday 12 December 2030, 17:00 UTC" in str(digest.alternatives[0][0])
