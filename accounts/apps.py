from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Logging in"

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from supervision import erasure

        # Log-in time and last activity for the session limits.
        from . import sessions  # noqa: F401
        from .erasure import ERASER
        from .login_protection import on_login_failed

        erasure.register(ERASER)
        # Connected after axes' own receiver (axes is earlier in INSTALLED_APPS), so the
        # failure being reported is already in axes' failure log when this counts.
        user_login_failed.connect(on_login_failed, dispatch_uid="accounts_login_ceiling")


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin on a site that wants a verified second factor when one is required."""

    default = False
    default_site = "accounts.admin_site.AdminSite"


# Third-party apps under the names an administrator reads on the admin's home page
# (their labels, tables and URLs are unchanged).


class AxesConfig(AxesAppConfig):
    default = False
    verbose_name = "Log-in attempts"


class TwoFactorDevicesConfig(TOTPConfig):
    default = False
    verbose_name = "Two-factor devices"


class RecoveryCodesConfig(StaticConfig):
    default = False
    verbose_name = "Two-factor recovery codes"
