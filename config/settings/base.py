"""Settings shared by every environment. Everything that differs between machines comes from
environment variables (see README, "Configuration"); local.py, test.py and production.py only
choose defaults."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"  # runtime files: the SQLite database, uploads, private files

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The address people reach Muhim at, for links in e-mails and SMS.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- applications ------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
    "django_tasks_db",
    "phonenumber_field",
    # Muhim
    "muhim.core",
    "muhim.accounts",
    "muhim.geography",
    "muhim.network",
    "muhim.people",
    "muhim.partners",
    "muhim.activities",
    "muhim.demands",
    "muhim.elections",
    "muhim.manifestos",
    "muhim.accountability",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that a locked-out login attempt never reaches the view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "muhim.core.context_processors.site",
            ],
        },
    },
]

# --- data ----------------------------------------------------------------------------------

# SQLite by default; PostgreSQL (or anything dj-database-url style) through DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'muhim.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the task worker writes; IMMEDIATE transactions and a
    # busy timeout make concurrent writers wait for each other instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = env.str("REDIS_URL", default="")

# A shared cache is needed as soon as there is more than one app server (API throttling,
# rate limits); Redis when REDIS_URL is set, otherwise memory of this process.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "muhim",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- background tasks ----------------------------------------------------------------------

# TASK_BACKEND: "database" (default; run `manage.py db_worker`), "rq" (Redis; run
# `manage.py rqworker --job-class django_tasks_rq.backend.Job default`) or "immediate" (in the
# request, for tests and debugging).
TASK_BACKEND = env.str("TASK_BACKEND", default="database")
_TASK_BACKENDS = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []},
    "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
    "immediate": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
}
if TASK_BACKEND not in _TASK_BACKENDS:
    raise environ.ImproperlyConfigured(
        f"TASK_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASK_BACKEND!r}"
    )
TASKS = {"default": _TASK_BACKENDS[TASK_BACKEND]}
if TASK_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 3600}}

# --- authentication ------------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "home"

# Brute-force protection: after AXES_FAILURE_LIMIT failures for one username from one address,
# that pair is locked out for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a proxy, set AXES_IPWARE_META_PRECEDENCE_ORDER through the proxy's header (see README).
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list("AXES_IPWARE_META_PRECEDENCE_ORDER", default=["REMOTE_ADDR"])

OTP_TOTP_ISSUER = "Muhim"

# Phone numbers are read as Pakistani unless they carry a country code, stored in E.164.
PHONENUMBER_DEFAULT_REGION = "PK"
PHONENUMBER_DB_FORMAT = "E164"

# --- internationalisation ------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ur", _("Urdu"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Formats Django lacks (Urdu groups its figures as English does): config/formats/ur/formats.py.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Karachi"
USE_I18N = True
USE_TZ = True

# --- static and uploaded files -------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages are installed from the npm registry by `make` and served straight from
# node_modules under /static/vendor/; nothing third-party is committed.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/noto-nastaliq-urdu", NODE_MODULES / "@fontsource" / "noto-nastaliq-urdu"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Uploaded import files and, later, CVs: never under MEDIA_ROOT, only served by views that
# check permissions.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "muhim.core.storage.PrivateStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MUHIM_IMPORT_MAX_BYTES = env.int("MUHIM_IMPORT_MAX_BYTES", default=50 * 1024 * 1024)

# --- e-mail and SMS ------------------------------------------------------------------------

_EMAIL_OPTION_NAMES = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
    "EMAIL_FILE_PATH": "file_path",
}


def mailers_from_url(default):
    """Django 6.1's MAILERS from EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587,
    consolemail:// or filemail:///path/to/folder."""
    parsed = env.email_url("EMAIL_URL", default=default)
    backend = parsed["EMAIL_BACKEND"]
    options = {
        option: parsed[key]
        for key, option in _EMAIL_OPTION_NAMES.items()
        if parsed.get(key) not in (None, "") and ("smtp" in backend or option == "file_path")
    }
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


MAILERS = mailers_from_url("consolemail://")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Muhim <noreply@localhost>")
# SMS_BACKEND: dotted path of a class in muhim.core.sms (console, file, locmem) or your own.
SMS_BACKEND = env.str("SMS_BACKEND", default="muhim.core.sms.ConsoleBackend")
SMS_FILE_PATH = Path(env.str("SMS_FILE_PATH", default=str(VAR_DIR / "sms")))

# --- API -----------------------------------------------------------------------------------

REST_FRAMEWORK = {
    # Token first: a wrong or revoked token then gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["muhim.core.api.permissions.ReadOnlyOrCapability"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "muhim.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "muhim.core.api.renderers.CSVRenderer",
        "muhim.core.api.renderers.XLSXRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # A query value the database cannot hold is the client's mistake: 400, not 500.
    "EXCEPTION_HANDLER": "muhim.core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/minute"),
        "user": env.str("API_THROTTLE_USER", default="1200/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Muhim API",
    "DESCRIPTION": (
        "The operations platform of an education advocacy campaign in Pakistan. Public data "
        "is readable without signing in; writes and personal data need a token "
        "(`Authorization: Token <key>`) or a session, and are limited to the caller's role "
        "and regions. Every list also answers `?format=csv` and `?format=xlsx`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- front end -----------------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "components/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}
# An optional raster tile layer for maps (e.g. a self-hosted tile server). Empty: maps draw
# only Muhim's own vector layers, which is all they need.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="")

# The campaign office's public contact, shown where a region has no organiser.
MUHIM_OFFICE_CONTACT = {
    "name": env.str("OFFICE_CONTACT_NAME", default="Campaign office, Islamabad"),
    "phone": env.str("OFFICE_CONTACT_PHONE", default="+92 51 0000000"),
    "email": env.str("OFFICE_CONTACT_EMAIL", default="office@example.org"),
    "whatsapp": env.str("OFFICE_CONTACT_WHATSAPP", default=""),
}

# Where the real public data lives on development machines (boundaries, 2018 election lists).
# The demo loader imports from it when present; nothing from it is shipped.
MUHIM_SHARED_DATA = Path(env.str("MUHIM_SHARED_DATA", default=str(BASE_DIR.parent / "shared" / "data")))

# After a write, compute the national field dashboard in a task so its next view is ready
# (useful with a shared cache, i.e. REDIS_URL, or tasks run in the web process).
MUHIM_WARM_FIELD_DASHBOARD = env.bool("WARM_FIELD_DASHBOARD", default=True)

# Election objectives: a party "prioritises education" when its manifesto's education share
# (per506) is at least this many per cent of its quasi-sentences.
MUHIM_MANIFESTO_EDUCATION_TARGET = env.float("MANIFESTO_EDUCATION_TARGET", default=5.0)

MESSAGE_TAGS = {40: "danger"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
