"""The glossary's A to Z index names each initial once, whatever the case of the terms."""

import pytest
from django.test import Client

from deliberation.models import GlossaryTerm

pytestmark = pytest.mark.django_db


def test_the_glossary_index_lists_each_letter_once(client: Client) -> None:
    for term in ("ALAC", "autonomous system", "BGP", "best practice forum"):
        GlossaryTerm.objects.get_or_create(term=term, defaults={"definitions": {"en": "x"}})
    page = client.get("/glossary/").content.decode()
    index = page.split('class="az">')[1].split("</p>")[0]
    letters = [part.split("</a>")[0] for part in index.split('">')[1:]]
    assert len(letters) == len(set(letters))
