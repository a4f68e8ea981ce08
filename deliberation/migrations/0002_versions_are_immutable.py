"""Proposal versions are immutable: text never changes under a running round (docs/design.md §2)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION deliberation_version_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Proposal versions are immutable: publish a new version instead'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER deliberation_version_immutable
    BEFORE UPDATE ON deliberation_proposalversion
    FOR EACH ROW EXECUTE FUNCTION deliberation_version_immutable();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS deliberation_version_immutable ON deliberation_proposalversion;
DROP FUNCTION IF EXISTS deliberation_version_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("deliberation", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
