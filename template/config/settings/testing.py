"""Settings for the test suite: the project's settings with a throwaway key and fast hashing.

Tests must not depend on a developer's `.env` (a fresh clone has none), so everything they
need is set here; DATABASE_URL still comes from the environment, to test on PostgreSQL.
"""

import os
import secrets

# A fresh key for every run: the settings refuse a short or well-known one with DEBUG off.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# No test reports to a developer's Sentry project, whatever `.env` says (docs/adr/0016).
os.environ["SENTRY_DSN"] = ""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The tests run without `collectstatic`: plain file names, served from where they are written.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
