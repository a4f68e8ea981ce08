"""Reading the owner role's credentials from the environment, beside DATABASE_URL's."""

from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

CREDENTIAL_KEYS = ("USER", "PASSWORD", "HOST", "PORT")


def credentials(database: dict[str, Any]) -> dict[str, Any]:
    """The USER, PASSWORD, HOST and PORT of one DATABASES entry, as a copy."""
    return {key: database.get(key, "") for key in CREDENTIAL_KEYS}


def owner_credentials(
    application: dict[str, Any], owner_url: str, *, default_user: str, default_password: str
) -> dict[str, Any]:
    """The USER, PASSWORD, HOST and PORT with which the owner role reaches the same database.

    `owner_url` (DATABASE_OWNER_URL) must name the database DATABASE_URL names; left empty, the
    owner is `default_user` on DATABASE_URL's server. Only credentials are kept: the database
    name always follows the application's connection, so test databases follow it too.
    """
    if not owner_url:
        return {
            "USER": default_user,
            "PASSWORD": default_password,
            "HOST": application.get("HOST", ""),
            "PORT": application.get("PORT", ""),
        }
    owner = environ.Env.db_url_config(owner_url)
    if owner.get("NAME") != application.get("NAME"):
        raise ImproperlyConfigured(
            f"DATABASE_OWNER_URL names the database {owner.get('NAME')!r} but DATABASE_URL "
            f"names {application.get('NAME')!r}: both roles must reach the same database."
        )
    return credentials(owner)
