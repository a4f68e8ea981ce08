"""OpenAPI post-processing: document the error answers every operation can give."""

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "additionalProperties": True,
}
DESCRIPTIONS = {
    "400": "Bad input: `detail` says what, the field errors stand beside it.",
    "401": "Not signed in, or a wrong or missing token.",
    "403": "Signed in, but this is not allowed (`detail` says why).",
    "404": "Not found, or not visible to you.",
    "405": "This method is not allowed here.",
    "409": "Conflicts with the current state (e.g. the round is not open).",
    "413": "The request body is too large.",
    "415": "The body is neither JSON nor form data.",
    "422": "This Idempotency-Key was already used with another request body.",
    "429": "Too many requests; try again later.",
    "503": "A backing service is unavailable; nothing was lost. Retry shortly.",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Give every operation the error answers it can return, with the `{detail}` schema."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            codes = ["400", "401", "403", "404", "405", "429", "503"]
            if method in WRITE_METHODS:
                codes += ["409", "413", "415"]
            if any(p.get("name") == "Idempotency-Key" for p in operation.get("parameters", [])):
                codes.append("422")
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(
                    code,
                    {
                        "description": DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result
