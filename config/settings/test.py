"""The test suite: `make test`. SQLite in memory unless DATABASE_URL points elsewhere (CI also
runs the suite against PostgreSQL); tasks run inline unless a test chooses a backend."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
SMS_BACKEND = "muhim.core.sms.LocmemBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"anon": "10000/minute", "user": "10000/minute"}  # noqa: F405
AXES_FAILURE_LIMIT = 5
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

# Static files come straight from the finders (static/ and node_modules); collectstatic is for
# production only.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# Tests of the dashboard's warming turn it on themselves; elsewhere it would only slow writes.
MUHIM_WARM_FIELD_DASHBOARD = False
