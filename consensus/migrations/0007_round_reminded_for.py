# The deadline a round's participants were told is near, so each deadline is announced once.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("consensus", "0006_statement_polls"),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="reminded_for",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
