"""The demo process's poll: a few dozen statements, votes giving visible groups, once."""

import pytest
from django.core.management import call_command

from consensus.polls.models import Moderation, Poll, Statement

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_the_demo_process_a_poll_with_a_map_once() -> None:
    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)
    poll = Poll.objects.get(process__slug="demo")
    statements = Statement.objects.filter(poll=poll)
    assert statements.filter(moderated=Moderation.ACCEPTED).count() >= 30
    assert statements.filter(moderated=Moderation.REJECTED).exclude(reason="").count() == 1
    assert statements.filter(moderated=Moderation.PENDING).count() == 1
    figures = poll.opinion_map.figures
    assert 2 <= len(figures["groups"]) <= 3
    assert len(figures["participants"]) == 25
    assert all(s["gic_stakeholder"] is not None for s in figures["statements"][:30])
    assert any(s["consensus"] for s in figures["statements"])
