# An admin may reject a hat's claim, with a reason its holder reads (docs/design.md §2.1).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0008_inbound_mail"),
    ]

    operations = [
        migrations.AddField(
            model_name="affiliation",
            name="rejected_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="affiliation",
            name="rejected_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="affiliation",
            name="rejection_reason",
            field=models.TextField(
                blank=True, max_length=2000, verbose_name="reason for rejecting"
            ),
        ),
        migrations.AddConstraint(
            model_name="affiliation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("verified_at__isnull", True), ("rejected_at__isnull", True), _connector="OR"
                ),
                name="affiliation_not_verified_and_rejected",
            ),
        ),
        migrations.AddConstraint(
            model_name="affiliation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("rejected_at__isnull", True),
                    models.Q(("rejection_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="affiliation_rejection_has_reason",
            ),
        ),
    ]
