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


POOLERS = ("", "pgbouncer")


def behind_pooler(database: dict[str, Any], pooler: str) -> dict[str, Any]:
    """The DATABASES entry made fit for the pooler named by DATABASE_POOLER (docs/scaling.md).

    PgBouncer in transaction pooling mode hands each transaction to whichever server connection is
    free, so nothing may outlive a transaction on the server: no server-side cursor (Django's
    `.iterator()` would DECLARE one), and no prepared statement (psycopg 3 prepares a query it
    has run five times, on a server connection the next transaction may not get). The site keeps
    no other session state: its advisory locks are `pg_advisory_xact_lock`, and it issues no `SET`
    outside a transaction. Without a pooler, the entry is returned as it was.
    """
    if pooler not in POOLERS:
        raise ImproperlyConfigured(
            f"DATABASE_POOLER is {pooler!r}; it may be empty (no pooler) or 'pgbouncer'."
        )
    if not pooler:
        return database
    return {
        **database,
        "DISABLE_SERVER_SIDE_CURSORS": True,
        "OPTIONS": {**database.get("OPTIONS", {}), "prepare_threshold": None},
    }


def replica_of(primary: dict[str, Any], replica_url: str) -> dict[str, Any]:
    """The `replica` DATABASES entry: DATABASE_REPLICA_URL's server with the primary's connection
    settings, or (unset) the primary itself, which the router then never reads from.

    Either way it is a test mirror of `default`: the tests' replica is the test database.
    """
    if replica_url:
        address = environ.Env.db_url_config(replica_url)
        entry = {**primary, **{key: address.get(key, "") for key in (*CREDENTIAL_KEYS, "NAME")}}
    else:
        entry = dict(primary)
    return {**entry, "OPTIONS": dict(primary.get("OPTIONS", {})), "TEST": {"MIRROR": "default"}}
