"""Country names follow the interface language (django-countries) over our table's codes."""

import pytest
from django.test import Client
from django.utils import translation

from stakeholders import countries
from stakeholders.country_names import country_choices, country_name
from stakeholders.forms import ProfileForm
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("language", "germany", "ivory_coast"),
    [
        ("en", "Germany", "Côte d'Ivoire"),
        ("fr", "Allemagne", "Côte d'Ivoire"),
        ("es", "Alemania", "Costa de Marfil"),
        ("ar", "ألمانيا", "ساحل العاج"),
    ],
)
def test_names_are_in_the_interface_language(language: str, germany: str, ivory_coast: str) -> None:
    with translation.override(language):
        assert country_name("DE") == germany
        assert country_name("CI") == ivory_coast


def test_an_unknown_code_has_no_name() -> None:
    assert country_name("ZZ") == ""


def test_the_choices_are_our_table_sorted_by_translated_name() -> None:
    with translation.override("es"):
        choices = country_choices()
    assert {code for code, _ in choices} == {c.code for c in countries.all_countries()}
    names = [name.casefold() for _, name in choices]
    assert names == sorted(names)
    assert ("DE", "Alemania") in choices


def test_the_profile_form_offers_translated_names() -> None:
    with translation.override("fr"):
        rendered = str(ProfileForm()["country"])
    assert '<option value="DE">Allemagne</option>' in rendered


@pytest.mark.django_db
def test_a_profile_names_the_country_in_the_readers_language(client: Client) -> None:
    person = UserFactory.create(country="DE", attribution="named")
    page = client.get(f"/stakeholders/{person.pk}/", HTTP_ACCEPT_LANGUAGE="es")
    assert "Alemania" in page.content.decode()
    assert ">DE<" not in page.content.decode()
