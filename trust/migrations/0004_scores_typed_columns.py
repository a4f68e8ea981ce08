"""Trust scores keep their figures in typed columns instead of a JSON document (docs/design.md §9).

Existing scores keep every figure: each column is filled from the document before it is dropped.
"""

from django.db import migrations, models

INTEGERS = ("endorsed_by", "endorses", "made", "due", "attestations", "kept", "partly", "broken",
            "processes", "days")  # fmt: skip
FLOATS = ("relative", "weight")
SECTION = {
    "relative": "endorsement", "endorsed_by": "endorsement", "endorses": "endorsement",
    "pretrusted": "endorsement", "made": "commitments", "due": "commitments",
    "attestations": "commitments", "kept": "commitments", "partly": "commitments",
    "broken": "commitments", "weight": "commitments", "processes": "tenure", "days": "tenure",
}  # fmt: skip


def _cast(name: str) -> str:
    kind = "integer" if name in INTEGERS else "double precision" if name in FLOATS else "boolean"
    default = "false" if kind == "boolean" else "0"
    return f"{name} = coalesce((components -> '{SECTION[name]}' ->> '{name}')::{kind}, {default})"


COPY_FIGURES = "UPDATE trust_trustscore SET " + ", ".join(_cast(n) for n in SECTION)  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [
        ("trust", "0003_audit_disclosure_backfill"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name="trustscore", name=name, field=models.IntegerField(default=0)
            )
            for name in INTEGERS
        ),
        *(
            migrations.AddField(
                model_name="trustscore", name=name, field=models.FloatField(default=0.0)
            )
            for name in FLOATS
        ),
        migrations.AddField(
            model_name="trustscore", name="pretrusted", field=models.BooleanField(default=False)
        ),
        migrations.RunSQL(COPY_FIGURES, reverse_sql=migrations.RunSQL.noop),
        migrations.RemoveField(model_name="trustscore", name="components"),
    ]
