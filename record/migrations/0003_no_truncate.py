"""The record refuses TRUNCATE too (statement level), not only row UPDATE and DELETE."""

from django.db import migrations

FORWARD = """
CREATE TRIGGER record_auditevent_no_truncate
    BEFORE TRUNCATE ON record_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION record_auditevent_append_only();
"""

BACKWARD = "DROP TRIGGER IF EXISTS record_auditevent_no_truncate ON record_auditevent;"


class Migration(migrations.Migration):
    dependencies = [("record", "0002_append_only_trigger")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
