"""The API's list filters are FilterSets: the OpenAPI schema documents them, ids are checked."""

import pytest
from django import forms
from drf_spectacular.generators import SchemaGenerator

from web.filters import IdField

LIST_FILTERS = {
    "/api/v1/comments/": {"issue": "integer"},
    "/api/v1/proposals/": {"issue": "integer"},
    "/api/v1/resources/": {
        "language": "string",
        "region": "string",
        "topic": "string",
        "kind": "string",
    },
    "/api/v1/endorsements/": {"from": "integer", "to": "integer"},
    "/api/v1/commitments/": {"process": "string", "author": "integer"},
}


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize(("path", "expected"), LIST_FILTERS.items())
def test_the_schema_documents_each_list_filter(schema: dict, path: str, expected: dict) -> None:
    parameters = schema["paths"][path]["get"]["parameters"]
    documented = {p["name"]: p["schema"].get("type") for p in parameters if p["in"] == "query"}
    assert {name: documented.get(name) for name in expected} == expected


@pytest.mark.parametrize(("given", "value"), [("12", 12), ("0", 0), ("", None), (None, None)])
def test_an_id_is_digits(given: str | None, value: int | None) -> None:
    assert IdField(required=False).clean(given) == value


@pytest.mark.parametrize("given", ["abc", "-1", "1.5", " 3"])
def test_anything_else_is_refused_by_name(given: str) -> None:
    with pytest.raises(forms.ValidationError, match=r"Must be a numeric id\."):
        IdField(required=False).clean(given)
