"""Idempotency keys are scoped to (user, key, method, path) and bound to the request's body."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("consensus", "0003_balance_snapshots_and_support_requests")]

    operations = [
        migrations.RemoveConstraint(model_name="idempotencykey", name="one_answer_per_key"),
        # Keys stored before carry no body hash: a repeat of one is refused (422) rather than
        # replayed, and they expire within a day anyway.
        migrations.AddField(
            model_name="idempotencykey",
            name="request_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="idempotencykey",
            constraint=models.UniqueConstraint(
                fields=("user", "key", "method", "path"), name="one_answer_per_key_and_request"
            ),
        ),
        migrations.AddIndex(
            model_name="idempotencykey",
            index=models.Index(fields=["created_at"], name="idempotency_key_age"),
        ),
    ]
