from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Logging in"

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        # Log-in time and last activity for the session limits.
        from . import sessions  # noqa: F401
        from .login_protection import on_login_failed

        # Connected after axes' own receiver (axes is earlier in INSTALLED_APPS), so the
        # failure being reported is already in axes' failure log when this counts.
        user_login_failed.connect(on_login_failed, dispatch_uid="accounts_login_ceiling")


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin on a site that wants a verified second factor when one is required."""

    default = False
    default_site = "accounts.admin_site.AdminSite"
