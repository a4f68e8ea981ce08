"""Make the audit table append-only: a trigger refuses every UPDATE and DELETE."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION record_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The public record is append-only: % on record_auditevent is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER record_auditevent_append_only
    BEFORE UPDATE OR DELETE ON record_auditevent
    FOR EACH ROW EXECUTE FUNCTION record_auditevent_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS record_auditevent_append_only ON record_auditevent;
DROP FUNCTION IF EXISTS record_auditevent_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("record", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
