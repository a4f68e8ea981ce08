"""App configuration for web, so that its template tags (the page panels) load."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "web"
    verbose_name = "Web"
