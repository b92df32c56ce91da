"""Django settings. Everything a deployment changes comes from the environment.

- DATABASE_URL: e.g. postgres://postgres@127.0.0.1:5432/test; default SQLite under CPQA_HOME.
- CPQA_HOME: where the SQLite file and generated files live (default ./var).
- CPQA_SECRET_KEY: signs sessions and forms; `cpqa serve` and cpqa.wsgi refuse to start without
  it (`cpqa demo` makes one and keeps it in CPQA_HOME). Other commands run on a throwaway key.
- CPQA_DEBUG: 1 for Django's debug mode on a developer's machine; off unless set (error pages
  show no data either way, cpqa.web.errors).
- CPQA_ALLOWED_HOSTS: comma-separated host names the service answers to.
- CPQA_CSRF_TRUSTED_ORIGINS: comma-separated origins (https://cpqa.council.example) when the
  proxy's address differs from the host the browser sees; empty by default.
- CPQA_SSL_REDIRECT: 1 (the default outside debug) sends plain HTTP to HTTPS; 0 only where a
  proxy already does it or for a test over plain HTTP on this machine.
- CPQA_PROXY_SSL_HEADER: the header the reverse proxy sets on HTTPS requests, e.g.
  X-Forwarded-Proto (its value must then be https); unset: no proxy header is trusted.
- CPQA_SESSION_HOURS: a sign-in ends this many hours after it began, however busy (default 8).
- CPQA_HSTS_SECONDS: Strict-Transport-Security max-age outside debug (default one year);
  CPQA_HSTS_INCLUDE_SUBDOMAINS and CPQA_HSTS_PRELOAD (both 1 by default) set 0 to leave them out.
- CPQA_TODAY: YYYY-MM-DD, the day the trackers treat as today (the demo sets it to the day its
  synthetic record was taken); unset in a live service.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
CPQA_HOME = Path(os.environ.get("CPQA_HOME", Path.cwd() / "var")).resolve()

def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip()
    return default if not value else value == "1"


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Safe by default: debug only when asked for, on a developer's machine.
DEBUG = _flag("CPQA_DEBUG", False)
# A process with no CPQA_SECRET_KEY (a report from the command line) runs on a key of its own
# that dies with it; whatever serves pages refuses to start on one (cpqa.web.commands, cpqa.wsgi).
SECRET_KEY_FROM_ENVIRONMENT = bool(os.environ.get("CPQA_SECRET_KEY"))
SECRET_KEY = os.environ.get("CPQA_SECRET_KEY") or secrets.token_urlsafe(50)
# A key that outlives the process: the environment's, or the one the demo keeps in CPQA_HOME.
SECRET_KEY_KEPT = SECRET_KEY_FROM_ENVIRONMENT

CPQA_TODAY = os.environ.get("CPQA_TODAY", "")
# Each server process keeps the whole record in memory (cpqa.record.cache); "0" reads it afresh
# on every request (the test suite, whose tests write through the ORM and roll back).
CPQA_RECORD_CACHE = os.environ.get("CPQA_RECORD_CACHE", "1") != "0"

ALLOWED_HOSTS = _list("CPQA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = _list("CPQA_CSRF_TRUSTED_ORIGINS")

# No Django admin: every change to the record goes through the services, which check and log it.
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "cpqa.core",
    "cpqa.ui",
    "cpqa.accounts",
    "cpqa.record",
    "cpqa.conferences",
    "cpqa.oversight",
    "cpqa.reports",
    "cpqa.web",
]

MIDDLEWARE = [
    # First: an error status answered by anything below gets our page, never Django's debug page.
    "cpqa.web.errors.ErrorPagesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so static files keep their caching; every other answer is no-store.
    "cpqa.web.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before the sign-in rule: a session past its absolute end is signed out, then asked to sign in.
    "cpqa.web.middleware.AbsoluteSessionTimeoutMiddleware",
    # Deny by default: every view needs sign-in unless marked otherwise (the sign-in page).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # ... and every view must carry an access rule (cpqa.accounts.access), or it is refused.
    "cpqa.accounts.access.AccessGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Must be last (django-axes documentation).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cpqa.urls"
WSGI_APPLICATION = "cpqa.wsgi.application"

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
            ],
        },
    }
]

_default_sqlite = f"sqlite:///{CPQA_HOME / 'cpqa.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=0)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 30

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    # NCSC password guidance: length and a deny list, no composition rules, no forced expiry.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("CPQA_PASSWORD_MIN_LENGTH", "12"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "today"
LOGOUT_REDIRECT_URL = "login"

# Lock an account and address out after 5 failures, for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CPQA_SESSION_ABSOLUTE_SECONDS = int(float(os.environ.get("CPQA_SESSION_HOURS", "8")) * 60 * 60)
SESSION_COOKIE_AGE = CPQA_SESSION_ABSOLUTE_SECONDS
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "cpqa.web.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a reverse proxy that ends TLS: trust its header saying the request came over HTTPS.
_proxy_header = os.environ.get("CPQA_PROXY_SSL_HEADER", "").strip()
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _flag("CPQA_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("CPQA_HSTS_SECONDS", "31536000"))
    # includeSubDomains and preload in the header (what `check --deploy` asks for); the header's
    # preload does nothing until someone submits the domain to the browsers' list.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("CPQA_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = _flag("CPQA_HSTS_PRELOAD", True)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"

STATIC_URL = "/static/"
STATIC_ROOT = CPQA_HOME / "staticfiles"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Application logs never carry personal data: they name ids and counts only.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"drop_traceback": {"()": "cpqa.core.log_filters.DropTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CPQA_LOG_LEVEL", "WARNING")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # A server error's traceback may quote a child's data: cpqa.web.errors logs it safely.
        "django.request": {"filters": ["drop_traceback"]},
    },
}


# Sign-in: a second factor for local accounts (django-otp), single sign-on with the council's
# identity provider (OpenID Connect), an idle timeout, password reset by mail. docs/security.md.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
# After the session, auth and the sign-in rules (which act on the view), before axes (last).
_axes_at = MIDDLEWARE.index("axes.middleware.AxesMiddleware")
MIDDLEWARE[_axes_at:_axes_at] = [
    # Signs out a session left unused for CPQA_IDLE_MINUTES, before anything reads the user.
    "cpqa.accounts.middleware.IdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A local account signed in with its password alone reaches only the second-factor pages.
    "cpqa.accounts.middleware.SecondFactorMiddleware",
]
# Every local account needs an authenticator app; only `cpqa demo` turns this off.
CPQA_REQUIRE_2FA = os.environ.get("CPQA_REQUIRE_2FA", "1") != "0"
CPQA_IDLE_MINUTES = int(os.environ.get("CPQA_IDLE_MINUTES", "30"))
OTP_TOTP_ISSUER = os.environ.get("CPQA_OTP_ISSUER", "cpqa")
# Mail for password reset: Django's SMTP backend with the council's relay.
EMAIL_BACKEND = os.environ.get("CPQA_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("CPQA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("CPQA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("CPQA_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CPQA_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("CPQA_EMAIL_USE_TLS", "0") == "1"
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("CPQA_EMAIL_FROM", "cpqa@localhost")
PASSWORD_RESET_TIMEOUT = 60 * 60
# OpenID Connect (Microsoft Entra ID or any OIDC provider): on only when a client id is set.
CPQA_OIDC_ENABLED = bool(os.environ.get("CPQA_OIDC_CLIENT_ID"))
OIDC_RP_CLIENT_ID = os.environ.get("CPQA_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("CPQA_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("CPQA_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("CPQA_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("CPQA_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("CPQA_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 20
OIDC_CREATE_USER = True
# The id_token's issuer must be this (e.g. https://login.microsoftonline.com/TENANT/v2.0).
CPQA_OIDC_ISSUER = os.environ.get("CPQA_OIDC_ISSUER", "")
# The claim with the user's groups or app roles, and group id -> cpqa role ("id=role,id=role").
CPQA_OIDC_GROUPS_CLAIM = os.environ.get("CPQA_OIDC_GROUPS_CLAIM", "groups")
CPQA_OIDC_ROLE_MAP = os.environ.get("CPQA_OIDC_ROLE_MAP", "")
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
if CPQA_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS += ["cpqa.accounts.oidc.CouncilOIDCBackend"]
