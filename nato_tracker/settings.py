"""Settings for the NATO defence-spending tracker, read from environment variables.

Development is the default: SQLite in ``db.sqlite3``, ``DEBUG`` on, a throw-away secret key.
Production mode (``DJANGO_ENV=production``) requires ``SECRET_KEY`` and ``ALLOWED_HOSTS`` from the
environment, turns ``DEBUG`` off and enables every HTTPS/cookie hardening that
``manage.py check --deploy`` asks for.

Variables: ``DJANGO_ENV``, ``SECRET_KEY``, ``DEBUG``, ``ALLOWED_HOSTS`` (comma separated),
``CSRF_TRUSTED_ORIGINS``, ``DATABASE_URL`` (e.g. ``postgres://user@host:5432/db``),
``DATABASE_CONN_MAX_AGE``, ``DATABASE_CONNECT_TIMEOUT``, ``DATABASE_STATEMENT_TIMEOUT``,
``DATABASE_READ_TIMEOUT``, ``DATABASE_PREPARED_STATEMENTS``, ``DATABASE_REPLICA_URL``,
``REDIS_URL``, ``CACHE_TIMEOUT``,
``CACHE_RETRY_SECONDS``, ``CACHE_DIR``, ``SIMPLE_HISTORY_ENABLED``,
``SECURE_SSL_REDIRECT``, ``TRUSTED_PROXIES``, ``AXES_ENABLED``, ``AXES_FAILURE_LIMIT``,
``AXES_COOLOFF_MINUTES``, ``API_TOKEN_LIFETIME_DAYS``, ``LOG_LEVEL``. Operations: docs/scaling.md
and docs/performance.md.
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from nato_tracker.code_version import code_version
from nato_tracker.proxies import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable as a list of non-empty strings."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("DJANGO_ENV", "development").strip().lower() == "production"

if PRODUCTION:
    try:
        SECRET_KEY = os.environ["SECRET_KEY"]
    except KeyError as exc:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production") from exc
    DEBUG = env_bool("DEBUG", False)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_ENV=production")
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-development-only-key")
    DEBUG = env_bool("DEBUG", True)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "corsheaders",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "nato_tracker",
    "spending",
    "articles",
    "axes",
]

MIDDLEWARE = [
    # Outermost: a database that cannot be reached gives a clean 503, never a traceback.
    "nato_tracker.middleware.DatabaseUnavailableMiddleware",
    # X-Forwarded-For/-Proto believed from TRUSTED_PROXIES only; REMOTE_ADDR = the real client.
    "nato_tracker.middleware.TrustedProxyMiddleware",
    # CORS headers for anonymous API reads only (nato_tracker.middleware.cors_for_anonymous_...).
    "corsheaders.middleware.CorsMiddleware",
    # 404 for paths, 400 for query strings with NUL or control characters (or too long).
    "nato_tracker.middleware.RejectMalformedInputMiddleware",
    # ETag/Last-Modified from the data version, 304s, Cache-Control (public or private).
    "nato_tracker.middleware.HttpCachingMiddleware",
    # Repeated anonymous GETs from the shared cache (keyed by the data version), headers included.
    "nato_tracker.middleware.ResponseCacheMiddleware",
    # gzip for JSON and CSV answers to anonymous reads (never with a CSRF token: BREACH).
    "nato_tracker.middleware.PublicDataGZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # django-csp's, with the site's policy built once (nato_tracker.middleware).
    "nato_tracker.middleware.ContentSecurityPolicyMiddleware",
    "nato_tracker.middleware.DocsContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out login into a 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nato_tracker.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "nato_tracker.wsgi.application"

# Databases. Connections are persistent (reused for DATABASE_CONN_MAX_AGE seconds by each
# worker) and health-checked before reuse, so a restarted PostgreSQL is reconnected to on the next
# request. DATABASE_REPLICA_URL adds a read replica that takes the reads (nato_tracker.db_router).
_CONN_MAX_AGE = int(os.environ.get("DATABASE_CONN_MAX_AGE", "600"))


def _database(url: str | None) -> dict:
    config = (
        dj_database_url.parse(url)
        if url
        else dj_database_url.config(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
    config["CONN_MAX_AGE"] = _CONN_MAX_AGE
    config["CONN_HEALTH_CHECKS"] = True
    options = config.setdefault("OPTIONS", {})
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # SQLite: wait for a competing writer instead of failing at once.
        options["timeout"] = 20
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # Fail fast when the server is down or hangs (the request gets a 503) instead of waiting:
        # connecting, each statement (server side), each wait for an answer (client side, see
        # nato_tracker.postgresql), and a peer that vanished (keepalives, unacknowledged data).
        config["ENGINE"] = "nato_tracker.postgresql"
        options.setdefault("connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3")))
        statement_ms = int(float(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "5")) * 1000)
        options["options"] = f"{options.get('options', '')} -c statement_timeout={statement_ms}"
        options.setdefault(
            "read_timeout", float(os.environ.get("DATABASE_READ_TIMEOUT", "6")) or None
        )
        options.setdefault("keepalives", 1)
        options.setdefault("keepalives_idle", 10)
        options.setdefault("keepalives_interval", 2)
        options.setdefault("keepalives_count", 3)
        options.setdefault("tcp_user_timeout", 6000)  # ms
        # The reads of nato_tracker.compiled bind their parameters on the server, and psycopg
        # prepares each once it has run 5 times on a connection (nato_tracker.postgresql,
        # prepared_cursor). Off behind PgBouncer older than 1.22 in transaction mode.
        if env_bool("DATABASE_PREPARED_STATEMENTS", True):
            options.setdefault("prepare_reads_after", 5)
    return config


DATABASES = {"default": _database(None)}
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = _database(DATABASE_REPLICA_URL)
    # Tests run against the primary only; the replica alias mirrors it.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["nato_tracker.db_router.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login rate limiting (django-axes) for every login that goes through django.contrib.auth: the
# admin's, the editors' and the API token view. After AXES_FAILURE_LIMIT failures for one
# username from one IP address, further attempts (even with the right password) get a 429 until
# the cool-off has passed. The test suite turns it off (tests/conftest.py); the tests of the rate
# limit turn it back on.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = env_bool("AXES_VERBOSE", False)
AXES_HTTP_RESPONSE_CODE = 429
# The client address is REMOTE_ADDR, which TrustedProxyMiddleware sets from X-Forwarded-For
# when (and only when) the request came through one of TRUSTED_PROXIES.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Files served with `Cache-Control: immutable` (a year): the manifest's hashed copies
# (`name.<12 hex>.ext`, `LICENSE.<12 hex>`) and the plotly chunk that esbuild names by its
# content (`plotly-core-<8 base32>.js`, scripts/build_plotly.sh). The chunk is imported by that
# name from the plotly entry files (the manifest does not rewrite module imports), so whitenoise's
# default test, which knows the manifest's names only, gave it `max-age=60`.
WHITENOISE_IMMUTABLE_FILE_TEST = r"\.[0-9a-f]{12}(\.[^/.]+)?$|/plotly-core-[A-Z2-7]{8}\.js$"

# Cache. With REDIS_URL every app server shares one cache (and one data version, see
# nato_tracker/data_version.py), so a change made through any of them is seen by all at once.
# Without it: in production a file cache shared by the workers and management commands of this one
# host; in development a per-process memory cache.
REDIS_URL = os.environ.get("REDIS_URL", "")
# Every key carries the code's fingerprint: values cached by other code (an earlier deploy, a
# server still on the old release during a rolling upgrade) are never read as this code's.
CACHE_KEY_PREFIX = f"{os.environ.get('CACHE_KEY_PREFIX', 'nato_tracker')}:{code_version(BASE_DIR)}"
# Redis out of reach is not an outage: the app serves uncached and logs it, /healthz says
# "cache: unavailable" (nato_tracker.cache_backend; figures in docs/scaling.md).
if REDIS_URL:
    CACHES = {
        "default": {
            # ResilientRedisCache with one Redis client per pool (nato_tracker.redis_cache).
            "BACKEND": "nato_tracker.redis_cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {
                # A hung Redis costs at most this, once per process per RETRY_SECONDS.
                "socket_connect_timeout": float(os.environ.get("CACHE_TIMEOUT", "1")),
                "socket_timeout": float(os.environ.get("CACHE_TIMEOUT", "1")),
                "health_check_interval": 30,
                "RETRY_SECONDS": float(os.environ.get("CACHE_RETRY_SECONDS", "5")),
            },
        }
    }
elif PRODUCTION:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get(
                "CACHE_DIR", os.path.join(tempfile.gettempdir(), "nato_tracker_cache")
            ),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
# Whole anonymous answers kept in that cache (seconds; 0 = off, the development default):
# nato_tracker.middleware.ResponseCacheMiddleware.
RESPONSE_CACHE_SECONDS = int(os.environ.get("RESPONSE_CACHE_SECONDS", "300" if PRODUCTION else "0"))
# JSON and CSV answers of the API endpoints of official data only (figures, compliance,
# aggregates, allies, targets, sources), kept under the official data version, which editors'
# writes do not change (nato_tracker.api.cache; seconds, 0 = off, the development default).
API_ANSWER_CACHE_SECONDS = int(
    os.environ.get("API_ANSWER_CACHE_SECONDS", "3600" if PRODUCTION else "0")
)
# How long browsers and proxies may reuse an anonymous answer without asking again (seconds);
# after that they revalidate with If-None-Match / If-Modified-Since and usually get a 304
# (nato_tracker.middleware.HttpCachingMiddleware). A write is seen by them within this time.
HTTP_CACHE_MAX_AGE = int(os.environ.get("HTTP_CACHE_MAX_AGE", "60"))

# CORS (django-cors-headers): other sites' scripts may read the API anonymously with GET/HEAD;
# never writes, never with a token or a session. No URL pattern enables it: the signal handler
# nato_tracker.middleware.cors_for_anonymous_api_reads decides per request; the origin is "*".
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_URLS_REGEX = r"^(?!)"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "X-Truncated", "Content-Disposition", "Retry-After"]
CORS_PREFLIGHT_MAX_AGE = 86400

# Off only while loading a dump (docs/backups.md): loaddata's many-to-many writes would otherwise
# record history entries of their own next to the ones the dump holds.
SIMPLE_HISTORY_ENABLED = env_bool("SIMPLE_HISTORY_ENABLED", True)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "editor:queue"
LOGOUT_REDIRECT_URL = "spending:dashboard"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "nato_tracker.api.schema.ApiAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Token first: an anonymous write then gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "nato_tracker.api.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "nato_tracker.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    # Anonymous clients at the "anon" rate by address, users at the "user" rate by account.
    "DEFAULT_THROTTLE_CLASSES": ["nato_tracker.api.throttles.ApiThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "120/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "600/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Bodies holding a NUL character are a 400 (nato_tracker.api.parsers.RejectNulMixin).
    # Request bodies are JSON (the token endpoint also takes forms: api/token_views.py).
    "DEFAULT_PARSER_CLASSES": ["nato_tracker.api.parsers.StrictJSONParser"],
    # Throttles key on REMOTE_ADDR alone: X-Forwarded-For is resolved, from trusted proxies only,
    # by nato_tracker.middleware.TrustedProxyMiddleware (None would let clients pick their key).
    "NUM_PROXIES": 0,
    # Django's ValidationError/PermissionDenied from the services, oversized bodies: JSON errors.
    "EXCEPTION_HANDLER": "nato_tracker.api.errors.exception_handler",
}

# API tokens stop working this many days after they were issued (0: until revoked).
API_TOKEN_LIFETIME_DAYS = int(os.environ.get("API_TOKEN_LIFETIME_DAYS", "30"))

SPECTACULAR_SETTINGS = {
    "TITLE": "NATO defence-spending tracker API",
    "DESCRIPTION": (
        "Official NATO defence-expenditure figures by edition, compliance with the alliance's "
        "targets, and statements reported in the press.\n\n"
        "Every list is paginated (`page`, `page_size`) and also available as CSV with "
        "`?format=csv` (every row of the filtered list, flat columns). Figures name the source "
        "(NATO edition) they come from; `edition=` or `as_of=YYYY-MM-DD` select earlier "
        "editions, the latest is the default. Spending in US$ is in millions of current US$. "
        "Anonymous clients can read (throttled); writes need an editor's token "
        "(`Authorization: Token <key>`) or session."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # OpenAPI 3.1: nullable references (Iceland's `source: null`) are `oneOf [$ref, null]`, and
    # URLs may be empty (`oneOf [uri, ""]`), which 3.0 cannot say.
    "OAS_VERSION": "3.1.0",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "nato_tracker.api.schema.declare_errors",
        "nato_tracker.api.schema.non_empty_parameters",
        "nato_tracker.api.schema.nul_free_bodies",
        "nato_tracker.api.schema.csv_bodies",
        "nato_tracker.api.schema.nullable_as_31",
        "nato_tracker.api.schema.binary_as_31",
        "nato_tracker.api.schema.blank_urls",
    ],
    "ENUM_NAME_OVERRIDES": {
        "MetricEnum": "spending.models.Metric",
        "DefinitionEnum": "spending.models.Definition",
        "ReviewStatusEnum": "articles.models.ReviewStatus",
        "VerdictEnum": "articles.models.Verdict",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Where the reference data and sample articles shipped with the project live.
REFERENCE_DATA_DIR = BASE_DIR / "spending" / "data"
SAMPLE_ARTICLES_DIR = BASE_DIR / "articles" / "data" / "sample_articles"

# Reverse proxies / load balancers whose X-Forwarded-For and X-Forwarded-Proto are believed:
# addresses or networks, comma separated (e.g. "127.0.0.1" for nginx on the same host). Empty (the
# default): the headers are ignored. docs/scaling.md.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
try:
    parse_networks(tuple(TRUSTED_PROXIES))
except ValueError as exc:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc
if TRUSTED_PROXIES:
    # Only ever set by a trusted proxy: TrustedProxyMiddleware drops it from anyone else.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

# Security headers on every answer (development included, so the tests see them):
# X-Content-Type-Options, Referrer-Policy, Cross-Origin-Opener-Policy (SecurityMiddleware),
# HSTS on HTTPS answers in production, and a Content-Security-Policy (django-csp) that allows
# scripts from our own origin only. Styles also allow inline: plotly.js injects its modebar styles
# at run time. Images also allow ``blob:``: plotly's PNG/SVG export (Plotly.downloadImage) draws
# the chart's SVG into an <img> from a blob: URL before rasterising it. The API docs pages
# (Swagger UI, Redoc) get their inline scripts allowed by hash
# (nato_tracker.middleware.DocsContentSecurityPolicyMiddleware).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}
