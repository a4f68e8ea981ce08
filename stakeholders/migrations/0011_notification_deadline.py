# A notification about a deadline carries it, to be written out in each reader's language.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0010_funding_chosen_not_preselected"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="deadline",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
