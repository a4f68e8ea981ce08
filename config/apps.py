"""The admin app, with the site of config/admin.py (imported once the apps are loaded)."""

from django.contrib.admin.apps import AdminConfig


class FootingAdminConfig(AdminConfig):
    default_site = "config.admin.FootingAdminSite"
