"""Tests: the same settings, with cheap password hashing and captured e-mail."""

import os

# The suite needs no real secret; base.py insists on one when DEBUG is off.
os.environ.setdefault("SECRET_KEY", "test-only-key-" + "x" * 40)

from .base import *  # noqa: E402, F403

# Argon2 is deliberately slow; the suite creates hundreds of users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the app folders, as in development: no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The dashboard figures cache is on, as in production (DASHBOARD_CACHE_SECONDS from base):
# view tests see what people see. Every cache is emptied between tests (tests/conftest.py).
