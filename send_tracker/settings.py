"""Settings for send-tracker, read from the environment.

Every variable is listed in `.env.example` and in the README's settings table. A bad value fails
loudly at start-up rather than quietly falling back: a tracker that silently runs on the wrong
database or without a secret is worse than one that refuses to start.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import URLValidator, validate_email

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str) -> str:
    """An http(s) address, or empty when the variable is unset."""
    raw = os.environ.get(name, "").strip()
    if raw:
        try:
            URLValidator(schemes=["https"])(raw)
        except ValidationError:
            raise ImproperlyConfigured(f"{name} must be a web address beginning https://, not {raw!r}") from None
    return raw


def env_email(name: str) -> str:
    """An email address, or empty when the variable is unset."""
    raw = os.environ.get(name, "").strip()
    if raw:
        try:
            validate_email(raw)
        except ValidationError:
            raise ImproperlyConfigured(f"{name} must be an email address, not {raw!r}") from None
    return raw


def read_env_file(path: Path) -> None:
    """Adds the file's `NAME=value` lines to the environment, never replacing what is already set.

    `make run` writes `.env` (DEBUG=true and a generated SECRET_KEY) the first time, so the
    commands the README shows (`manage.py import_pap ...`) run in that checkout as `make run` did;
    docker compose reads the same file. Blank lines and `#` comments are skipped; a value may be
    quoted.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.removeprefix("export ").partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name.isidentifier():
            raise ImproperlyConfigured(f"{path}, line {number}: expected NAME=value, not {line!r}")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        os.environ.setdefault(name, value)


# ENV_FILE names another file; empty reads none (the test suite's choice).
_env_file = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if _env_file:
    read_env_file(Path(_env_file))

DEBUG = env_bool("DEBUG", False)

# Production has no default secret: a missing SECRET_KEY stops the process. Development (DEBUG on)
# gets a fixed, obviously-unsafe key so `make run` works on a fresh clone.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=true for local development (`make run` writes both to .env)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_celery_beat",
    # Before the accounts app, whose admin keeps allauth's models to superusers.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "send_tracker.accounts",
    "send_tracker.operations",
    "send_tracker.alerts",
    "actions",
    "governance",
    "recommendations",
    "kpis",
    "send_tracker.sample_data",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "send_tracker.middleware.ContentSecurityPolicyMiddleware",
    # Inside WhiteNoise (which production inserts above it), so static files keep their own headers.
    "send_tracker.middleware.PrivateByDefaultMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Someone who must use a second factor and has none set up is sent to set it up first.
    "send_tracker.accounts.second_factor.SecondFactorRequiredMiddleware",
    # Someone signed in through their organisation's provider signs out there too (a form's redirect).
    "send_tracker.accounts.single_sign_on.ProviderFormActionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Production serves its compressed, hashed static files itself; development uses runserver's.
    MIDDLEWARE.insert(2, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "send_tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "send_tracker.context_processors.service",
                "send_tracker.alerts.context_processors.unread_alerts",
            ],
            # The one form layer: {% load govuk_forms %} then {% field form.title %} (send_tracker/forms.py);
            # the one table layer: {% load govuk_tables %} then {% table "Heading" %} (send_tracker/tables.py).
            "libraries": {"govuk_forms": "send_tracker.forms", "govuk_tables": "send_tracker.tables"},
        },
    },
]

WSGI_APPLICATION = "send_tracker.wsgi.application"

# The embedded default is SQLite in var/, so `make run` needs no server. DATABASE_URL switches to
# PostgreSQL (postgres://user@host:5432/name), which production and CI use.
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except Exception as exc:  # dj-database-url raises several types for a malformed URL.
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "send_tracker.sqlite3"),
            # WAL and a busy timeout let the web process, the worker and beat share one file.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "send_tracker.accounts.backends.UserWithOrganisationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed logins are throttled per username, so one attacker cannot lock out a whole office behind
# a shared council IP address, and a password guessed slowly across many IPs is still stopped.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# A wrong code at the second step counts against the username as a wrong password does
# (send_tracker.accounts.second_factor).

# Sign-in (django-allauth). The password step is our own form at /accounts/login/ (the username is
# the login; nobody registers themselves); allauth runs the second step and single sign-on.
ACCOUNT_ADAPTER = "send_tracker.accounts.sign_in.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_REDIRECT_URL = "login"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 600
# Single sign-on: the providers are SingleSignOnProvider rows (the admin); ours adds the nonce.
SOCIALACCOUNT_ADAPTER = "send_tracker.accounts.single_sign_on.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {"provider_class": "send_tracker.accounts.single_sign_on.Provider", "OAUTH_PKCE_ENABLED": True}
}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
MFA_ADAPTER = "send_tracker.accounts.second_factor.SecondFactorAdapter"
MFA_FORMS = {
    "authenticate": "send_tracker.accounts.second_factor.CodeForm",
    "add_webauthn": "send_tracker.accounts.second_factor.AddPasskeyForm",
    "edit_webauthn": "send_tracker.accounts.second_factor.RenamePasskeyForm",
}
# Passkeys (WebAuthn, through the fido2 package) as well as the app: a passkey is added once the app
# is set up, so the app stays the factor someone can always fall back on.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
# Browsers allow passkeys on http://localhost and http://127.0.0.1 only; fido2 checks the origin is
# https unless this is on, which it is only while DEBUG is (or a test says so).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG and env_bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", True)
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_TOTP_ISSUER = "SEND improvement tracker"
# Administrators and superusers must use a second factor; so must everyone in a partnership whose
# administrator requires it. The demo accounts (only ever made with DEBUG on) are let off, so that a
# newcomer can try each role at once, unless this is turned off.
SECOND_FACTOR_DEMO_EXEMPT = env_bool("SECOND_FACTOR_DEMO_EXEMPT", True)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded evidence is never served from a public URL: it is streamed by a view that checks the
# reader may see the action (actions.views.evidence_download).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Security. In production (DEBUG off) cookies are secure, HSTS is on and HTTP redirects to HTTPS;
# `manage.py check --deploy --fail-level WARNING` passes with these.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script anywhere: the GOV.UK "js-enabled" snippet lives in static/js/init.js.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# axes warns that a lock on the username alone can be dodged by rotating IPs: that is the point.
# Locking by IP would lock out a whole council office behind one address; a username lock stops a
# password being guessed from anywhere.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Email: SMTP by default; the console in development so nothing leaves the machine.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "send-tracker <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# GOV.UK Notify, which many councils use, is an alternative to SMTP: install django-gov-notify and
# set EMAIL_BACKEND=django_gov_notify.backends.NotifyEmailBackend with these two (a Notify template
# whose subject is ((subject)) and whose body is ((body))). Notify sends the plain text body.
GOVUK_NOTIFY_API_KEY = os.environ.get("GOVUK_NOTIFY_API_KEY", "")
GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = os.environ.get("GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID", "")

# Alerts (send_tracker.alerts). Links in emails need the site's public address.
ALERT_BASE_URL = os.environ.get(
    "ALERT_BASE_URL",
    "http://127.0.0.1:8000" if DEBUG or not ALLOWED_HOSTS else f"https://{ALLOWED_HOSTS[0]}",
)
if not ALERT_BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"ALERT_BASE_URL must start with http:// or https://, not {ALERT_BASE_URL!r}")
# How long the one-time link that invites a person to the partnership works (send_tracker.accounts.services).
INVITATION_DAYS = env_int("INVITATION_DAYS", 7)
# An alert never emailed within this many days (an outage) is not emailed late: it stays in the list.
ALERT_CUTOFF_DAYS = env_int("ALERT_CUTOFF_DAYS", 3)
# How often beat runs the deadline sweep; the migration that creates the schedule reads it once,
# after which the admin (Periodic tasks) is where it is changed.
ALERT_SWEEP_MINUTES = env_int("ALERT_SWEEP_MINUTES", 15)
# How far back the sweep still raises "overdue" for a deadline it has not told yet.
ALERT_LOOKBACK_DAYS = env_int("ALERT_LOOKBACK_DAYS", 28)
# Attempts to email one alert before it is marked failed; the first retry waits ALERT_RETRY_SECONDS,
# each later one twice as long (at most an hour).
ALERT_MAX_ATTEMPTS = env_int("ALERT_MAX_ATTEMPTS", 5)
ALERT_RETRY_SECONDS = env_int("ALERT_RETRY_SECONDS", 60)
# A row left "sending" longer than this by a worker that stopped is claimed again.
ALERT_LEASE_SECONDS = env_int("ALERT_LEASE_SECONDS", 600)
# How long one delivery run keeps claiming batches; under CELERY_TASK_SOFT_TIME_LIMIT.
ALERT_DELIVERY_BUDGET_SECONDS = env_int("ALERT_DELIVERY_BUDGET_SECONDS", 180)
for _name in (
    "ALERT_CUTOFF_DAYS",
    "ALERT_SWEEP_MINUTES",
    "ALERT_LOOKBACK_DAYS",
    "ALERT_MAX_ATTEMPTS",
    "ALERT_RETRY_SECONDS",
    "ALERT_LEASE_SECONDS",
    "ALERT_DELIVERY_BUDGET_SECONDS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1")

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem transport in var/celery, so
# the worker and beat run on a laptop with no server installed.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_DATA_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Periodic tasks are created by the `ensure_schedule` migration step in send_tracker.accounts and
# are editable in the admin (django-celery-beat).

# Throttle counters and other short-lived state: Redis when there is one, so every web process
# shares the same counts; otherwise memory, which is enough for one development server.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions are read on every signed-in request. With Redis they are kept there as well as in the
# database, so a page reads them without a query; a sign-out deletes both. Without Redis each
# process would keep its own copy, and a sign-out in one could leave the session alive in
# another, so then they are read from the database alone.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "send_tracker.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "send_tracker.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "send_tracker.api.renderers.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["send_tracker.api.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "send_tracker.api.pagination.StableCursorPagination",
    "DEFAULT_THROTTLE_CLASSES": ["send_tracker.api.throttling.PerKeyThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": os.environ.get("API_THROTTLE_RATE", "1200/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "send_tracker.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "send-tracker partner API",
    "DESCRIPTION": (
        "Read a partnership's Priority Action Plan, recommendations, KPIs and the DfE's published "
        "figures; update the ratings of actions your organisation owns. Authenticate with "
        "`Authorization: Bearer KEY`. Lists use cursor pagination and accept `?format=csv`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # One name for a choice set used by several fields: an action's rating (brag) and the rating
    # the forum's view was given on (on_rating) are both the BRAG scale.
    "ENUM_NAME_OVERRIDES": {"BragEnum": "actions.choices.Brag"},
}

SIMPLE_HISTORY_REVERT_DISABLED = True
# A change's reason is often its commentary, a paragraph or more: kept whole, as text.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A refused request (403) is logged in one line; Django would attach its traceback.
    "filters": {"client_error_without_traceback": {"()": "send_tracker.log_filters.ClientErrorWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.request": {"filters": ["client_error_without_traceback"]},
    },
}

SERVICE_NAME = "SEND improvement tracker"

# The footer's support links and the accessibility statement's contacts on pages that belong to no
# partnership (sign-in, the public index, an instance administrator's pages). Each partnership may
# set its own in the admin, which its pages show instead. SERVICE_OPERATOR names who runs the
# instance ("This website is run by ...").
SERVICE_OPERATOR = os.environ.get("SERVICE_OPERATOR", "").strip()
PRIVACY_URL = env_url("PRIVACY_URL")
CONTACT_URL = env_url("CONTACT_URL")
CONTACT_EMAIL = env_email("CONTACT_EMAIL")
ACCESSIBILITY_CONTACT_EMAIL = env_email("ACCESSIBILITY_CONTACT_EMAIL")
