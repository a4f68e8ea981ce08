"""The two database roles: the owner of the tables, and the application role that may only read
and append to the public record."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

AUDIT_TABLE = "record_auditevent"
NO_TRUNCATE_TRIGGER = "record_auditevent_no_truncate"


def _swap(using: str, credentials: dict[str, Any]) -> dict[str, Any]:
    """Point the connection `using` at other credentials; returns the ones it had."""
    connection = connections[using]
    if connection.in_atomic_block:
        raise RuntimeError("Database roles are switched between transactions, never inside one.")
    before = {key: connection.settings_dict.get(key, "") for key in credentials}
    connection.close()
    connection.settings_dict.update(credentials)
    return before


def use_owner(using: str = "default") -> None:
    """From now on, connect as the owner role (the test suite creates its database so)."""
    _swap(using, settings.DATABASE_OWNER)


def use_application(using: str = "default") -> None:
    """From now on, connect as the application role, as the site and the workers do."""
    _swap(using, settings.DATABASE_APPLICATION)


@contextmanager
def as_owner(using: str = "default") -> Iterator[None]:
    """Run the block on a connection of the owner role, then go back to the previous role."""
    connection = connections[using]
    if connection.settings_dict.get("USER") == settings.DATABASE_OWNER["USER"]:
        yield
        return
    before = _swap(using, settings.DATABASE_OWNER)
    try:
        yield
    finally:
        _swap(using, before)


def grant_application_role(using: str = "default") -> None:
    """Give the application role what it needs on every table, and no more on the record.

    Before: run by the owner (after every migrate and flush). After: the application role may
    read and write every table but may only SELECT and INSERT the audit table; not being its
    owner, it can neither ALTER it nor disable its triggers. Nothing is done when one role plays
    both parts (e.g. a throw-away cluster): there is nothing to separate.
    """
    role = settings.DATABASE_APPLICATION["USER"]
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        if cursor.fetchone()[0] == role:
            return
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        found = cursor.fetchone()
        if found is None:
            raise ImproperlyConfigured(
                f"The application role {role!r} (DATABASE_URL's user) does not exist: "
                "run scripts/provision.sh, or CREATE ROLE it (LOGIN, no other right)."
            )
        if found[0]:
            raise ImproperlyConfigured(
                f"The application role {role!r} is a superuser: it could rewrite the record."
            )
        quoted = connection.ops.quote_name(role)
        table = connection.ops.quote_name(AUDIT_TABLE)
        for statement in (
            f"GRANT USAGE ON SCHEMA public TO {quoted}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
            f"REVOKE ALL ON {table} FROM PUBLIC",
            f"REVOKE ALL ON {table} FROM {quoted}",
            f"GRANT SELECT, INSERT ON {table} TO {quoted}",
        ):
            cursor.execute(statement)


def audit_table_exists(using: str = "default") -> bool:
    connection = connections[using]
    return AUDIT_TABLE in connection.introspection.table_names()


def on_post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """After every migrate and flush (both run as the owner), grant the application role."""
    if audit_table_exists(using):
        grant_application_role(using)
