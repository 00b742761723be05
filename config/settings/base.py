"""Settings shared by every environment; values come from the environment.

The defaults suit a developer's machine: SQLite in the project folder,
e-mail printed to the console. `production.py` refuses to start without real
secrets, `test.py` trades password-hash cost for speed.
"""

import datetime
from pathlib import Path

from csp.constants import NONE, SELF

from .env import (
    env_bool,
    env_cache,
    env_database,
    env_int,
    env_list,
    env_positive_int,
    env_rate,
    env_str,
    env_time_zone,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DEBUG", False)
# Only a DEBUG process may fall back to a throw-away key; production.py
# insists on a real one.
SECRET_KEY = env_str(
    "SECRET_KEY", "insecure-development-key-never-use-in-production" if DEBUG else None
)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# How many reverse proxies append to X-Forwarded-For in front of the app. 0: the header
# is ignored and the client address is the connection's (supervision/client_ip.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

INSTALLED_APPS = [
    # Django's admin, with a site that asks for a second factor when it is required.
    "accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    # axes and the two-factor plugins under plain names in the admin (accounts/apps.py).
    "accounts.apps.AxesConfig",
    "django_otp",
    "accounts.apps.TwoFactorDevicesConfig",
    "accounts.apps.RecoveryCodesConfig",
    "django_ratelimit",
    "supervision",
    "accounts",
    "cases",
    "reflections",
    "groups",
    "dashboards",
    "hours",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "supervision.middleware.AuditContextMiddleware",
    "supervision.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages (they say why someone was signed out), before any view runs.
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns a lock-out during log-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Jinja2 first: it answers only for `*.jinja` pages (config.jinja2), which Django's engine
# would misread. Both run the same context processors.
_CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "supervision.context_processors.unread_notifications",
    "accounts.context_processors.session_timeout",
    "config.context_processors.layout_links",
]
TEMPLATES = [
    {
        "BACKEND": "config.jinja2.Pages",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "config.jinja2.environment",
            "context_processors": _CONTEXT_PROCESSORS,
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": _CONTEXT_PROCESSORS,
            "libraries": {"layout_links": "config.templatetags"},
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "supervision.User"
# django-axes first: it refuses a locked-out (account, address) before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_time_zone("TIME_ZONE", "Europe/London")
# The app speaks British English only. Without the translation machinery every label, date
# and "3 days ago" on a page is cheaper to draw (the review queue: 12% fewer instructions);
# dates keep the en-gb formats. Turn it on when a second language arrives.
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    # runserver serves straight from the app folders; no collectstatic needed.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Good Enough <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in e-mails point here; a request is not always at hand when one is sent.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Signed session logs of erased people are kept this many years after sign-off, then
# `manage.py purge_expired_records` deletes them (docs/security.md, "Export and erasure").
RECORD_RETENTION_YEARS = env_int("RECORD_RETENTION_YEARS", 7)
if RECORD_RETENTION_YEARS < 1:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("RECORD_RETENTION_YEARS must be at least 1.")

# Further identifier detectors, as dotted paths to callables taking the text and yielding
# cases.identifiers.Finding (docs/identifier-check.md): a locally installed NER model, say.
# Empty by default; imported once at start-up, never downloaded.
IDENTIFIER_EXTRA_DETECTORS = env_list("IDENTIFIER_EXTRA_DETECTORS", [])

# Everything the pages need is served by the app itself: no inline scripts or
# styles, no third parties, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Logging in: lock-out, rate limits, two-factor (docs/security.md) ---

# The rate limits count in this cache. locmem:// keeps one count per process (with several
# gunicorn workers each has its own, so the limits are that many times looser); redis://
# shares one count between workers.
CACHES = {
    "default": env_cache("CACHE_URL", "locmem://"),
    # Parts of pages drawn once (config.jinja2.drawn_once): dashboard figures under
    # their figures' key. HTML of counts and catalog names, never note text. Always in the
    # process, never shared: a new release must not show what an old release drew.
    "drawn": {
        # Local memory that keeps the strings themselves, not pickles (config/caches.py).
        "BACKEND": "config.caches.DrawnCache",
        "LOCATION": "drawn",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}
SILENCED_SYSTEM_CHECKS = [
    # django-ratelimit knows only django-redis by name; Django's own RedisCache is atomic too.
    "django_ratelimit.W001",
]
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # A per-process count is the documented trade-off of running without a shared cache.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# django-axes: 5 failures for one account from one client address lock that pair out for
# 15 minutes, even with the right password; a successful log-in starts the count again.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.login_protection.axes_username"
# The same address the audit trail records (TRUSTED_PROXY_COUNT decides about X-Forwarded-For).
AXES_CLIENT_IP_CALLABLE = "supervision.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Axes keeps the POST data of failed attempts; codes and tokens are masked like passwords.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "csrfmiddlewaretoken"]
# One row per failure: the per-account ceiling counts them (accounts/login_protection.py).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The per-account ceiling: more failures than this for one account in an hour, from any
# addresses, pause logging in to it (ASVS allows up to 100); 0 turns it off.
LOGIN_ACCOUNT_CEILING = env_int("LOGIN_ACCOUNT_CEILING", 20)

# django-ratelimit, per client address: log-in POSTs (password and code steps together)
# and password-reset requests. Over the limit the answer is a 429 page.
RATELIMIT_IP_META_KEY = "accounts.login_protection.ratelimit_ip"
LOGIN_RATE_LIMIT = env_rate("LOGIN_RATE_LIMIT", "20/10m")
PASSWORD_RESET_RATE_LIMIT = env_rate("PASSWORD_RESET_RATE_LIMIT", "5/h")

# django-otp: an authenticator app (TOTP) and recovery codes. When required, supervisors
# and admins without a confirmed authenticator are sent to set one up before any other page,
# and the admin site wants a session verified with a code. Off here (the local demo logs in
# with passwords alone); production.py turns it on.
OTP_REQUIRED_FOR_STAFF_ROLES = env_bool("REQUIRE_TWO_FACTOR", False)
OTP_TOTP_ISSUER = "Good Enough"
# Admins may delete someone's devices (a lost phone) but never read a secret or a recovery code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
RECOVERY_CODE_COUNT = 10
# A first authenticator is set up only by someone who proves she reads the account's e-mail:
# through her invitation link, or with a code e-mailed to her on the set-up page. The code
# lives this many minutes, takes this many guesses, and at most this many are sent an hour.
TWO_FACTOR_EMAIL_CODE_MINUTES = env_positive_int("TWO_FACTOR_EMAIL_CODE_MINUTES", 15)
TWO_FACTOR_EMAIL_CODE_ATTEMPTS = 5
TWO_FACTOR_EMAIL_CODES_PER_HOUR = 5

# --- Invitations (docs/security.md) ---
# An administrator invites a person; the e-mailed link works once, for this many days.
INVITATION_DAYS = env_positive_int("INVITATION_DAYS", 7)
# Whether a supervisor may invite her own new supervisees (off: only administrators invite).
SUPERVISORS_MAY_INVITE = env_bool("SUPERVISORS_MAY_INVITE", False)

# Dashboard figures are cached this long under a key that changes with their data
# (dashboards/cache.py); 0 turns the cache off. docs/performance.md.
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 600)

# --- Sessions ---
# Signed out after this many minutes without a request, and this many hours after logging
# in whatever happens; the page warns SESSION_WARNING_SECONDS before the idle limit.
SESSION_IDLE_TIMEOUT = env_positive_int("SESSION_IDLE_MINUTES", 15) * 60
SESSION_ABSOLUTE_TIMEOUT = env_positive_int("SESSION_ABSOLUTE_HOURS", 12) * 3600
SESSION_WARNING_SECONDS = min(120, SESSION_IDLE_TIMEOUT // 2)
# The cookie outlives neither limit; the middleware enforces both on the server.
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # fpdf2's font subsetter (fontTools) narrates every PDF at INFO: glyph lists, not news.
    "loggers": {"fontTools": {"level": "WARNING"}},
}
