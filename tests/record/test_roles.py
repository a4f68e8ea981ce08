"""Two database roles: the owner migrated the tables; the application role, which the site, the
workers and this suite's own connections use, may only read and append to the record."""

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from record.models import AuditEvent
from record.services import audit_append

pytestmark = pytest.mark.django_db


def _current_user() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return str(cursor.fetchone()[0])


def test_the_suite_connects_as_the_application_role_and_the_owner_owns_the_tables() -> None:
    application, owner = settings.DATABASE_APPLICATION["USER"], settings.DATABASE_OWNER["USER"]
    assert application != owner, (
        "DATABASE_URL connects as the owner of the tables: give it the application role "
        "(README, 'Database roles')"
    )
    assert _current_user() == application
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'record_auditevent'")
        assert cursor.fetchone()[0] == owner
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles "
            "WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (False, False, False, False)


def test_the_application_role_reads_and_appends() -> None:
    event = audit_append(actor=None, action="test.append", obj="test:1", process=None)
    assert AuditEvent.objects.get(seq=event.seq).hash == event.hash


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("UPDATE record_auditevent SET data = '{}'", "permission denied"),
        ("DELETE FROM record_auditevent", "permission denied"),
        ("TRUNCATE record_auditevent", "permission denied"),
        ("ALTER TABLE record_auditevent DISABLE TRIGGER record_auditevent_append_only", "owner"),
        ("ALTER TABLE record_auditevent DISABLE TRIGGER ALL", "owner"),
        ("DROP TRIGGER record_auditevent_append_only ON record_auditevent", "owner"),
        ("ALTER TABLE record_auditevent ADD COLUMN forged text", "owner"),
        ("ALTER TABLE record_auditevent OWNER TO CURRENT_USER", "owner"),
        ("DROP TABLE record_auditevent", "owner"),
        (
            (
                "CREATE OR REPLACE FUNCTION record_auditevent_append_only() RETURNS trigger "
                "AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql"
            ),
            "permission denied",
        ),
        ("SET session_replication_role = replica", "permission denied"),
    ],
)  # fmt: skip
def test_the_application_role_can_neither_rewrite_nor_unguard_the_record(
    statement: str, refusal: str
) -> None:
    audit_append(actor=None, action="test.one", obj="test:1", process=None, data={"n": 1})
    with (
        pytest.raises(DatabaseError, match=refusal),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.get().data == {"n": 1}


def test_the_application_role_holds_only_select_and_insert_on_the_record() -> None:
    privileges = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT "
            + ", ".join(f"has_table_privilege('record_auditevent', '{p}')" for p in privileges)
        )
        held = dict(zip(privileges, cursor.fetchone(), strict=True))
    assert [name for name, has in held.items() if has] == ["SELECT", "INSERT"]


def test_the_application_role_writes_every_other_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'record_auditevent' "
            "AND NOT (has_table_privilege(c.oid, 'SELECT') AND has_table_privilege(c.oid, "
            "'INSERT') AND has_table_privilege(c.oid, 'UPDATE') AND "
            "has_table_privilege(c.oid, 'DELETE'))"
        )
        assert cursor.fetchall() == []
