"""Production settings: refuse to start misconfigured, and pass `check --deploy` cleanly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _signing_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


GOOD_ENV = {
    "CERTIFICATE_SIGNING_KEY": _signing_key_pem(),
    "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    "SECRET_KEY": "k" * 20 + "-production-secret-that-is-long-enough-" + "z" * 20,
    "ALLOWED_HOSTS": "matchway.example.org",
    "DATABASE_URL": f"sqlite:///{ROOT}/var/deploy-check.sqlite3",
    "SITE_URL": "https://matchway.example.org",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
    "CACHE_URL": "redis://127.0.0.1:6379/15",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SECRET_KEY", "CERTIFICATE_"))
    }
    clean.pop("ALLOWED_HOSTS", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_prod_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=GOOD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_prod_refuses_to_start_without(missing):
    env = {k: v for k, v in GOOD_ENV.items() if k != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_check_deploy_fails_without_a_certificate_signing_key():
    env = {k: v for k, v in GOOD_ENV.items() if k != "CERTIFICATE_SIGNING_KEY"}
    result = _manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "matchway.E001" in result.stderr + result.stdout
    assert "CERTIFICATE_SIGNING_KEY" in result.stderr + result.stdout


def test_prod_refuses_the_dev_secret_key():
    from config.settings.base import DEV_SECRET_KEY

    result = _manage("check", env={**GOOD_ENV, "SECRET_KEY": DEV_SECRET_KEY})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_database_is_configured_for_safe_concurrency(settings):
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.postgresql":
        assert db["CONN_HEALTH_CHECKS"] is True
        return
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["timeout"] >= 5


def test_database_url_selects_postgresql():
    from config.settings.base import database_from_url

    config = database_from_url("postgres://u:p@db.example.org:5432/matchway")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "matchway"
    assert config["CONN_HEALTH_CHECKS"] is True


def test_no_atomic_requests(settings):
    assert not settings.DATABASES["default"].get("ATOMIC_REQUESTS")


@pytest.mark.parametrize("url", ["consolemail://", "dummymail://", "memorymail://"])
def test_prod_refuses_to_start_with_an_email_backend_that_sends_nothing(url):
    result = _manage("check", env={**GOOD_ENV, "EMAIL_URL": url})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "production would send no email" in result.stderr
    assert "EMAIL_ALLOW_UNSENT" in result.stderr


def test_prod_starts_with_unsent_email_when_explicitly_allowed():
    env = {**GOOD_ENV, "EMAIL_URL": "consolemail://", "EMAIL_ALLOW_UNSENT": "true"}
    assert _manage("check", env=env).returncode == 0


def test_deploy_check_flags_an_email_backend_that_sends_nothing(settings):
    from matchway.core.checks import email_backend_check

    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.EMAIL_ALLOW_UNSENT = False
    [error] = email_backend_check()
    assert error.id == "matchway.E002"
    settings.EMAIL_ALLOW_UNSENT = True
    assert email_backend_check() == []
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_ALLOW_UNSENT = False
    assert email_backend_check() == []


@pytest.mark.parametrize("cache_url", ["", "locmemcache://matchway"])
def test_prod_refuses_a_per_process_cache(cache_url):
    env = {**GOOD_ENV, "CACHE_URL": cache_url}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "CACHE_URL must name a shared cache" in result.stderr


def test_check_deploy_fails_with_a_per_process_cache(settings):
    from django.core.checks import run_checks

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ids = [m.id for m in run_checks(include_deployment_checks=True, tags=["security"])]
    assert "matchway.E003" in ids


def test_sessions_live_in_the_database_only(settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
