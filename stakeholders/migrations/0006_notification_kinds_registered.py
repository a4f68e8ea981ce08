"""Notification kinds come from the registry (stakeholders.notifications); no stored value changes."""

from django.db import migrations, models

import stakeholders.notifications


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0005_unread_notifications"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(choices=stakeholders.notifications.kind_choices, max_length=20),
        ),
        migrations.AlterField(
            model_name="notificationsetting",
            name="kind",
            field=models.CharField(choices=stakeholders.notifications.kind_choices, max_length=20),
        ),
    ]
