"""Settings, read from environment variables with defaults that work on a developer machine."""

from pathlib import Path

import django_stubs_ext
import environ
from django.utils.translation import gettext_lazy as _

from config import sizing
from config.beat import beat_schedule
from config.databases import behind_pooler, credentials, owner_credentials, replica_of

# Lets `forms.ModelForm[User]` and friends be subscripted at run time, as the type checker wants.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Secrets have a default only for local development (DEBUG); production must set them.
SECRET_KEY = (
    env.str("DJANGO_SECRET_KEY", default="insecure-local-development-key-not-for-production")
    if DEBUG
    else env.str("DJANGO_SECRET_KEY")
)
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# The name people know the site by: every e-mail's subject, greeting and signature say it, never
# the server's address (stakeholders/mailtext.py).
SITE_NAME = env.str("SITE_NAME", default="Footing")

INSTALLED_APPS = [
    "stakeholders.admin_apps.FootingAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "django_countries",  # translated country names only (stakeholders/country_names.py)
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "web",
    "record",
    "stakeholders",
    "deliberation",
    "consensus",
    "trust",
]

MIDDLEWARE = [
    "web.middleware.ServiceUnavailableMiddleware",
    # Before anything reads the database: it chooses where this request's reads go.
    "web.replica.ReplicaMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "web.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "web.guard.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "stakeholders.middleware.StandingMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "web.middleware.AnonymousPageCacheMiddleware",
]
# Anonymous readers get public pages at most this many seconds old (0: always fresh).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=10)

# The benchmarks serve the site plus two minimal reference views (bench/urls.py).
ROOT_URLCONF = env.str("DJANGO_ROOT_URLCONF", default="config.urls")
WSGI_APPLICATION = "config.wsgi.application"

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
                "stakeholders.context_processors.navigation",
            ],
        },
    },
]

# Two database roles (README, "Database roles"): the site, the workers and the tests' own
# connections use DATABASE_URL's role, which may only read and append to the public record;
# migrations, flushes and test databases run as the owner of the tables (record/dbroles.py).
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default="postgres://footing_app:footing_app@127.0.0.1:5432/footing"
    ),
}
DATABASE_APPLICATION = credentials(DATABASES["default"])
DATABASE_OWNER = owner_credentials(
    DATABASES["default"],
    env.str("DATABASE_OWNER_URL", default=""),
    default_user="footing",
    default_password="footing",  # noqa: S106 - the development default, like DATABASE_URL's
)
# Persistent, health-checked connections: one per web thread (config/gunicorn.py reuses its
# threads), one per task process; see config.sizing for the budget. The development server
# (`make dev`) starts a thread per request, so it asks for 0 (close after each request).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {}).update(
    connect_timeout=env.int("DATABASE_CONNECT_TIMEOUT", default=3),
    # Names the process in pg_stat_activity (footing-web, footing-worker, footing-beat).
    application_name=env.str("DATABASE_APPLICATION_NAME", default="footing"),
    # Parameters bound by the server, and a statement prepared from its DATABASE_PREPARE_THRESHOLD
    # -th run on a connection: PostgreSQL then plans each of a page's queries once per
    # connection, not once per request (behind PgBouncer nothing is prepared).
    server_side_binding=True,
    prepare_threshold=env.int("DATABASE_PREPARE_THRESHOLD", default=5),
)
# Behind PgBouncer in transaction pooling mode (DATABASE_POOLER=pgbouncer): no server-side
# cursors, no prepared statements (config.databases.behind_pooler, docs/scaling.md).
DATABASE_POOLER = env.str("DATABASE_POOLER", default="")
DATABASES["default"] = behind_pooler(DATABASES["default"], DATABASE_POOLER)
# A streaming replica (DATABASE_REPLICA_URL): public GET pages and lists read from it, every write
# and a writer's reads for REPLICA_READ_YOUR_WRITES_SECONDS after it go to the primary
# (web.replica). Unset, the `replica` alias is the primary itself and nothing reads from it.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
DATABASES["replica"] = replica_of(DATABASES["default"], DATABASE_REPLICA_URL)
REPLICA_READS = bool(DATABASE_REPLICA_URL)
REPLICA_READ_YOUR_WRITES_SECONDS = env.int("REPLICA_READ_YOUR_WRITES_SECONDS", default=10)
DATABASE_ROUTERS = ["web.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
# Redis holds only the rate-limit counters and the task queue: sessions live in PostgreSQL, so
# reading and casting work while Redis is down (docs/design.md §8).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env.str("CACHE_URL", default="redis://127.0.0.1:6379/1"),
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="footing"),
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
# Rendered page fragments whose key holds everything they show (a result's figures: the outcome
# and the language), kept in each process's memory: nothing to invalidate across processes, and
# Redis stays off the read path (SPEC §8).
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "footing-fragments",
    "TIMEOUT": 24 * 60 * 60,
    "OPTIONS": {"MAX_ENTRIES": 5_000},
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "stakeholders.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# Widgets from templates/django/forms/ first: text fields and text areas carry dir="auto", so that
# English typed on an Arabic page (and Arabic on an English one) reads in its own direction.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
LOGIN_REDIRECT_URL = "trust:dashboard"  # the signed-in home, also after confirming an e-mail

# django-allauth: e-mail only, mandatory verification, rate-limited login.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# The client's address, for every rate limit (login, token, API throttles): REMOTE_ADDR, unless
# this many proxies of ours stand in front and each appends to X-Forwarded-For — then the entry
# that the outermost one appended. A client's own X-Forwarded-For is never believed.
TRUSTED_PROXY_HOPS = env.int("DJANGO_TRUSTED_PROXY_HOPS", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_HOPS
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# docs/design.md §8: facilitators and admins need TOTP before they act as such; off in the local
# demo.
REQUIRE_STAFF_MFA = env.bool("REQUIRE_STAFF_MFA", default=not DEBUG)

_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{SITE_NAME} <noreply@footing.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in each language's own order, the month in words (config/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# The licence of every open-data bundle (/open-data/), stated in each bundle and on the page.
OPEN_DATA_LICENCE_NAME = env.str("OPEN_DATA_LICENCE_NAME", default="CC BY 4.0")
OPEN_DATA_LICENCE_URL = env.str(
    "OPEN_DATA_LICENCE_URL", default="https://creativecommons.org/licenses/by/4.0/"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "stakeholders.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "web.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "web.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": env.str("TOKEN_RATE_LIMIT", default="20/min")},
    # Throttles count per client address as the server trusts it (see TRUSTED_PROXY_HOPS).
    "NUM_PROXIES": TRUSTED_PROXY_HOPS,
    "DEFAULT_PARSER_CLASSES": [
        "web.guard.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Footing API",
    "DESCRIPTION": "Multistakeholder deliberation and rough consensus on an equal footing.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "web.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "StakeholderGroupEnum": "stakeholders.models.StakeholderGroup",
        "AttributionEnum": "stakeholders.models.Attribution",
        "SupportKindEnum": "consensus.models.SupportKind",
        "AlertKindEnum": "consensus.balance.compute.AlertKind",
        "ModerationActionKindEnum": "trust.models.ActionKind",
        "SignalKindEnum": "trust.models.SignalKind",
        "DigestFrequencyEnum": "stakeholders.subscriptions.models.DigestFrequency",
        "InvitationStatusEnum": "deliberation.invitations.models.InvitationStatus",
    },
}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_WORKER_CONCURRENCY = sizing.worker_concurrency()
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2}
CELERY_TIMEZONE = TIME_ZONE
# Two queues, each with its own worker: `interactive` (mail, rounds' close and outcome) and
# `heavy` (trust, signals, balance snapshots, opinion maps), routed by task name (config.queues).
CELERY_TASK_ROUTES = ("config.queues.route",)
CELERY_TASK_DEFAULT_QUEUE = "heavy"
ROUND_SWEEP_SECONDS = env.int("ROUND_SWEEP_SECONDS", default=60)
# Participants who have not voted are told this many hours before a round's deadline.
ROUND_REMINDER_HOURS = env.int("ROUND_REMINDER_HOURS", default=24)
CELERY_BEAT_SCHEDULE = beat_schedule(env, ROUND_SWEEP_SECONDS)

# Taking part by e-mail (docs/design.md §2.6; README "Taking part by e-mail"). Replies go to
# reply+<token>@INBOUND_EMAIL_DOMAIN; the SMTP listener (`manage.py inbound_smtp`, run by
# `make run`) or the webhook (POST /inbound/email/, header X-Inbound-Secret) receives them.
INBOUND_EMAIL_DOMAIN = env.str("INBOUND_EMAIL_DOMAIN", default="localhost").lower()
INBOUND_SMTP_HOST = env.str("INBOUND_SMTP_HOST", default="127.0.0.1")
INBOUND_SMTP_PORT = env.int("INBOUND_SMTP_PORT", default=2525)
# Empty: the webhook answers 404. A secret has no default outside DEBUG.
INBOUND_WEBHOOK_SECRET = env.str("INBOUND_WEBHOOK_SECRET", default="")
# Larger messages are kept but not used (the sender is told); past the hard limit they are
# refused at the door (SMTP 552, HTTP 413), so that no one can fill the database.
INBOUND_MAX_BYTES = env.int("INBOUND_MAX_BYTES", default=1024 * 1024)
INBOUND_HARD_MAX_BYTES = env.int("INBOUND_HARD_MAX_BYTES", default=10 * 1024 * 1024)
# Only the Authentication-Results header our own receiving server adds (its authserv-id) is read.
INBOUND_AUTHSERV_ID = env.str("INBOUND_AUTHSERV_ID", default="")
INBOUND_MAX_ATTEMPTS = env.int("INBOUND_MAX_ATTEMPTS", default=5)
INBOUND_MESSAGES_PER_HOUR = env.int("INBOUND_MESSAGES_PER_HOUR", default=30)
INBOUND_ANSWERS_PER_HOUR = env.int("INBOUND_ANSWERS_PER_HOUR", default=10)

# Trust scores kept: the latest, one a day for this many days, then one a month for this many
# months (0: every month); older ones are deleted by beat (trust.prune_trust_history).
TRUST_HISTORY_DAYS = env.int("TRUST_HISTORY_DAYS", default=30)
TRUST_HISTORY_MONTHS = env.int("TRUST_HISTORY_MONTHS", default=24)

SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False)
    else None
)
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="footing-demo")
