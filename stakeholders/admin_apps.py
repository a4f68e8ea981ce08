"""The admin app with the site of stakeholders/admin_site.py (imported once apps are loaded)."""

from django.contrib.admin.apps import AdminConfig


class FootingAdminConfig(AdminConfig):
    default_site = "stakeholders.admin_site.FootingAdminSite"
