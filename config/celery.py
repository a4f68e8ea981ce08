"""The Celery application; its beat schedule is the static dict CELERY_BEAT_SCHEDULE in settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("footing")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
