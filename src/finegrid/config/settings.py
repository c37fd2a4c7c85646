"""Settings, read from the environment (FINEGRID_*). See docs/running.md."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(os.environ.get("FINEGRID_HOME", Path.cwd())).resolve()
VAR_DIR = BASE_DIR / "var"


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


DEBUG = _flag("FINEGRID_DEBUG")
# The development key only ever serves the embedded demo; production sets FINEGRID_SECRET_KEY.
SECRET_KEY = os.environ.get("FINEGRID_SECRET_KEY", "finegrid-insecure-development-key")  # noqa: S105
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("FINEGRID_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
TILE_URL = os.environ.get("FINEGRID_TILE_URL", "").strip()
# Chinese tile providers draw in GCJ-02; our geometry is WGS-84, so it is shifted before display.
TILE_CRS = os.environ.get("FINEGRID_TILE_CRS", "").strip().lower() or (
    "gcj02"
    if any(host in TILE_URL for host in ("autonavi", "amap", "gtimg", "tencent", "qq.com"))
    else "wgs84"
)
# How often an open page asks for the inbox badge's count (docs/architecture.md, Notifications).
INBOX_POLL_SECONDS = int(os.environ.get("FINEGRID_INBOX_POLL_SECONDS", "20"))
DEMO_PASSWORD = os.environ.get("FINEGRID_DEMO_PASSWORD", "finegrid-demo")
# POST /api/v1/diagnostics/write (the benchmarks' baseline) answers 404 unless this is on.
DIAGNOSTICS = _flag("FINEGRID_DIAGNOSTICS")
# Working hours of grid heads on working days (错时延时: extended shifts cover the rest).
GRID_HEAD_HOURS = os.environ.get("FINEGRID_GRID_HEAD_HOURS", "09:00-17:30")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "corsheaders",
    "django_htmx",
    "channels",
    "finegrid.core.tasks_app.TasksDatabaseConfig",
    "finegrid.core",
    "finegrid.accounts",
    "finegrid.grids",
    "finegrid.registry",
    "finegrid.notifications",
    "finegrid.cases",
    "finegrid.residents",
    "finegrid.workforce",
    "finegrid.care",
    "finegrid.participation",
    "finegrid.open311",
    "finegrid.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # before anything that answers: a preflight OPTIONS is answered here
    "corsheaders.middleware.CorsMiddleware",
    # request.htmx: whether a request is htmx's, and what it asks (core.pages.is_htmx)
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "finegrid.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "finegrid.residents.middleware.ResidentHomeMiddleware",
    # after auth and messages: its 400 page draws the site's header
    "finegrid.core.middleware.QueryTextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Open311 is public and read by browser clients on other sites (maps, dashboards): any origin
# may GET it, without cookies. Nothing else of the site is shared across origins.
CORS_URLS_REGEX = r"^/open311/v2/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "OPTIONS")
CORS_EXPOSE_HEADERS = ("Link", "Content-Language")

ROOT_URLCONF = "finegrid.config.urls"
ASGI_APPLICATION = "finegrid.config.asgi.application"
WSGI_APPLICATION = "finegrid.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "finegrid.core.context_processors.site",
                "finegrid.residents.context_processors.resident",
            ],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("FINEGRID_DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "finegrid.core.sqlite",
            "NAME": os.environ.get("FINEGRID_SQLITE_PATH", str(VAR_DIR / "finegrid.sqlite3")),
            "OPTIONS": {
                # WAL lets readers run beside the one writer; FULL makes a confirmed write
                # survive a power cut, not only a process crash (DESIGN: nothing lost).
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
            # the server's threads are long-lived (core/asgi.py), so each keeps its connection
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            # Tests use an in-memory database (Django's default for SQLite), named here so that
            # pytest-xdist's workers each keep their own instead of a file per worker.
            "TEST": {"NAME": ":memory:"},
        }
    }
# Threads that run requests' synchronous work in `finegrid serve`; each keeps a database connection.
FINEGRID_HTTP_THREADS = int(os.environ.get("FINEGRID_HTTP_THREADS", "2"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# One code (一码报到): the key that signs printed check-in codes (derived from SECRET_KEY when
# unset; changing either invalidates every printed code), and how far from its place a check-in
# is flagged for the grid head.
CODE_KEY = os.environ.get("FINEGRID_CODE_KEY", "").strip()
CHECKIN_FAR_M = float(os.environ.get("FINEGRID_CHECKIN_FAR_M", "200"))
# the same code scanned again within this many minutes from further than CHECKIN_FAR_M away
CHECKIN_TWICE_MINUTES = int(os.environ.get("FINEGRID_CHECKIN_TWICE_MINUTES", "10"))
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "grids:home"  # the map for staff, their home for residents
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"  # on screen; storage is UTC because USE_TZ is on
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
# Uploaded case photos; served only through /api/v1/cases/photos/{id}, which checks who asks.
MEDIA_ROOT = Path(os.environ.get("FINEGRID_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
WHITENOISE_AUTOREFRESH = DEBUG

# Background work (imports now; outbox and timers later). `finegrid serve` runs a worker thread;
# production runs `finegrid db_worker` beside it (docs/decisions/0002-background-tasks.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Redis when set (production, and CI's tests of the real-time path): the channel layer that
# carries alerts between processes, and the cache that rate limits share.
REDIS_URL = os.environ.get("FINEGRID_REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "finegrid"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
ASGI_APPLICATION = "finegrid.config.asgi.application"

# The emergency call (care/). A community with no chain of its own uses this one: (who, seconds
# to answer) per step. Gateways for SMS, voice and the WeCom group robot: off when empty.
CARE_DEFAULT_CHAIN = [
    ("micro_worker", 60),
    ("grid_head", 60),
    ("station_duty", 90),
    ("community_duty", 120),
    ("family", 180),
]
CARE_SMS_URL = os.environ.get("FINEGRID_SMS_URL", "").strip()
CARE_VOICE_URL = os.environ.get("FINEGRID_VOICE_URL", "").strip()
CARE_WECOM_URL = os.environ.get("FINEGRID_WECOM_URL", "").strip()
# a device silent this long, or reporting a battery at or below this, gets a check task
CARE_HEARTBEAT_SILENCE_HOURS = int(os.environ.get("FINEGRID_CARE_SILENCE_HOURS", "24"))
CARE_LOW_BATTERY = int(os.environ.get("FINEGRID_CARE_LOW_BATTERY", "15"))

SESSION_COOKIE_HTTPONLY = True
# the refused form's page in the site's style, not Django's (core/views.py)
CSRF_FAILURE_VIEW = "finegrid.core.views.csrf_failure"
CSRF_COOKIE_HTTPONLY = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
