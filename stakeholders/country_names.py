"""Country names in the reader's language: django-countries' translations (from Unicode CLDR), over
our table's codes. The UN regions and development flags stay ours (stakeholders/countries.py)."""

from django_countries import countries as translated

from stakeholders import countries


def country_name(code: str) -> str:
    """The name of `code` in the active language; our English name where django-countries has
    none (a code it does not list); "" for an unknown code."""
    found = countries.get_country(code)
    if found is None:
        return ""
    return str(translated.name(code)) or found.name


def country_choices() -> list[tuple[str, str]]:
    """Every country of our table as (code, name in the active language), sorted by that name."""
    named = [(c.code, country_name(c.code)) for c in countries.all_countries()]
    # casefold, then the code for a stable order; Arabic names sort by code point, which follows
    # the alphabet.
    return sorted(named, key=lambda pair: (pair[1].casefold(), pair[0]))
