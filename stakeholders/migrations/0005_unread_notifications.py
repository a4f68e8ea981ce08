from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0004_single_line_titles"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="unread_notifications",
            field=models.PositiveIntegerField(db_default=0, default=0, editable=False),
        ),
        # The badge of every existing user, counted once.
        migrations.RunSQL(
            """
            UPDATE stakeholders_user u SET unread_notifications = n.unread
            FROM (SELECT user_id, count(*) AS unread FROM stakeholders_notification
                  WHERE in_app AND read_at IS NULL GROUP BY user_id) AS n
            WHERE n.user_id = u.id
            """,
            migrations.RunSQL.noop,
        ),
    ]
