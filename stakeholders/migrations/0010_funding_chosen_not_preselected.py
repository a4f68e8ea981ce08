# Participation funding has no default: a new account has none until the person says (the
# balance counts it as "unknown"). Existing rows keep the value they hold.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0009_affiliation_rejection"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="funding",
            field=models.CharField(
                blank=True,
                choices=[
                    ("self_funded", "Self-funded"),
                    ("employer_funded", "Funded by my employer"),
                    ("sponsored", "Sponsored"),
                    ("unfunded", "Unfunded"),
                ],
                default="",
                max_length=20,
                verbose_name="participation funding",
            ),
        ),
        migrations.RemoveConstraint(model_name="user", name="user_funding_valid"),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("funding__in", ["self_funded", "employer_funded", "sponsored", "unfunded", ""])
                ),
                name="user_funding_valid",
            ),
        ),
    ]
