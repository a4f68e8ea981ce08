"""The result page's figures are rendered once per outcome and language (a fragment cache): each
round shows its own figures, each language its own words, and the figures follow the outcome."""

import re

import pytest
from django.core.cache import caches
from django.test import Client

from consensus import services
from consensus.models import Round
from tests.consensus.conftest import Scene, make_scene

pytestmark = pytest.mark.django_db


def _closed_round(scene: Scene, positions: dict[str, str]) -> Round:
    round_ = scene.open_round()
    for group, position in positions.items():
        services.ballot_cast(
            actor=scene.person(group),
            round_=round_,
            position=position,
            rationale="No" if position == "object" else "",
        )
    services.round_close(actor=scene.facilitator, round_=round_)
    services.outcome_compute(round_=round_)
    return round_


def _counted(page: str) -> str:
    found = re.search(r"<dt>[^<]*</dt><dd>(\d+)</dd>\s*</dl>", page)
    assert found is not None
    return found.group(1)


def test_each_outcome_and_language_gets_its_own_figures() -> None:
    caches["fragments"].clear()
    scene = make_scene()
    first = _closed_round(scene, {"government": "support", "academia": "object"})
    second = _closed_round(
        scene, {"government": "support", "academia": "accept", "civil_society": "support"}
    )
    reader = Client()
    url = f"/processes/{scene.process.slug}/rounds/%d/result/"
    one = reader.get(url % first.pk, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    two = reader.get(url % second.pk, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (_counted(one), _counted(two)) == ("2", "3")
    assert "By stakeholder group" in one
    french = reader.get(url % first.pk, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Par groupe de parties prenantes" in french
    assert "By stakeholder group" not in french
    # Served again from the fragment cache, the page is the same page.
    assert reader.get(url % first.pk, HTTP_ACCEPT_LANGUAGE="en").content.decode() == one


def test_a_recomputed_outcome_shows_its_new_figures() -> None:
    caches["fragments"].clear()
    scene = make_scene()
    round_ = _closed_round(scene, {"government": "support"})
    reader = Client()
    url = f"/processes/{scene.process.slug}/rounds/{round_.pk}/result/"
    assert _counted(reader.get(url).content.decode()) == "1"
    # An outcome computed anew (a new row, new time) is never hidden behind the old fragment.
    # An outcome computed anew is a new row computed at a new time: never hidden behind the old
    # fragment, even when the old row's figures are changed in place.
    from consensus.models import Outcome

    Outcome.objects.filter(round=round_).update(figures={**round_.outcome.figures, "ballots": 7})
    assert _counted(reader.get(url).content.decode()) == "1", "same outcome and time: kept"
    caches["fragments"].clear()
    assert _counted(reader.get(url).content.decode()) == "7"
    Outcome.objects.filter(round=round_).delete()
    services.outcome_compute(round_=Round.objects.get(pk=round_.pk))
    assert _counted(reader.get(url).content.decode()) == "1"
