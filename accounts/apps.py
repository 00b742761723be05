from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Logging in"

    def ready(self):
        from supervision import erasure

        # Log-in time and last activity for the session limits.
        from . import sessions  # noqa: F401
        from .erasure import ERASER

        erasure.register(ERASER)


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin on a site that wants a verified second factor when one is required."""

    default = False
    default_site = "accounts.admin_site.AdminSite"
