"""deploy/ is consistent with itself and with .env.example (`docker compose config` is not
available here, so the compose file is parsed and checked by hand)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
LOCATIONS = DEPLOY / "nginx" / "matchway-locations.conf"
APP_SERVICES = ("migrate", "web", "worker", "periodic")
EXPECTED_SERVICES = {"db", "redis", "nginx", *APP_SERVICES}
REQUIRED_IN_PRODUCTION = ("SECRET_KEY", "ALLOWED_HOSTS")
MB = 1024 * 1024


def _documented() -> set[str]:
    """Every variable .env.example names, set or commented out (`# NAME=value`)."""
    names = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=", line)
        if match:
            names.add(match.group(1))
    return names


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(data, dict)
    return data


def _env(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in environment.items()}


def _mounts(service: dict[str, Any]) -> dict[str, tuple[str, bool]]:
    """target path -> (source, read_only) for short-syntax volumes."""
    mounts = {}
    for volume in service.get("volumes", []):
        source, target, *mode = volume.split(":")
        mounts[target.rstrip("/")] = (source, mode == ["ro"])
    return mounts


def _locations_alias(location: str) -> str:
    match = re.search(
        rf"location {re.escape(location)} \{{(?P<body>.*?)\n\}}", LOCATIONS.read_text(), re.S
    )
    assert match, f"no `location {location}` in {LOCATIONS.name}"
    alias = re.search(r"^\s*alias\s+(\S+);", match.group("body"), re.M)
    assert alias
    return alias.group(1).rstrip("/")


def test_the_stack_has_every_service(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == EXPECTED_SERVICES


def test_every_variable_compose_sets_or_reads_is_documented(compose: dict[str, Any]) -> None:
    documented = _documented()
    for name in APP_SERVICES:
        undocumented = set(_env(compose["services"][name])) - documented
        assert not undocumented, f"{name} sets variables .env.example does not describe"
    interpolated = set(re.findall(r"\$\{([A-Z0-9_]+)", COMPOSE.read_text()))
    assert interpolated
    assert interpolated <= documented, interpolated - documented


def test_app_services_read_the_env_file_and_never_blank_a_required_variable(
    compose: dict[str, Any],
) -> None:
    for name in APP_SERVICES:
        service = compose["services"][name]
        env_file = service["env_file"]
        assert env_file in ("../.env", ["../.env"]), name
        env = _env(service)
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.prod"
        # Production refuses to start without these: they must come from .env, untouched.
        for required in REQUIRED_IN_PRODUCTION:
            assert required not in env, f"{name} overrides {required}"
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
        assert env["CACHE_URL"].startswith("redis://redis:6379/")
        assert env["TASKS_BACKEND"] == "django_tasks_db.DatabaseBackend"
        assert env["TRUSTED_PROXY_COUNT"] == "1"


def test_private_files_are_shared_and_nginx_reads_them_read_only(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    private_alias = _locations_alias("/_private/")
    static_alias = _locations_alias("/static/")
    for name in APP_SERVICES:
        env = _env(services[name])
        assert env["PRIVATE_MEDIA_ROOT"] == private_alias
        assert _mounts(services[name])[env["PRIVATE_MEDIA_ROOT"]] == ("private", False), name
        # Django's X-Accel-Redirect prefix is nginx's internal location.
        assert env["PRIVATE_FILES_ACCEL_REDIRECT_PREFIX"] == "/_private/"
        assert env["STATIC_ROOT"] == static_alias
    assert _mounts(services["migrate"])[static_alias] == ("static", False)
    nginx = _mounts(services["nginx"])
    assert nginx[private_alias] == ("private", True)
    assert nginx[static_alias] == ("static", True)
    assert _mounts(services["db"])["/var/lib/postgresql/data"][0] == "pgdata"
    assert set(compose["volumes"]) == {"pgdata", "private", "static"}
    for source, _ in nginx.values():
        if source.startswith("./"):
            assert (DEPLOY / source).is_file(), source


def test_commands_and_start_order(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["web"]["command"][:3] == ["gunicorn", "-c", "config/gunicorn.conf.py"]
    assert (ROOT / "config" / "gunicorn.conf.py").is_file()
    assert services["worker"]["command"] == ["python", "manage.py", "db_worker"]
    assert services["periodic"]["command"] == ["python", "manage.py", "run_periodic", "--loop"]
    migrate = " ".join(services["migrate"]["command"])
    assert "migrate --noinput" in migrate and "collectstatic --noinput" in migrate
    for name in ("web", "worker", "periodic"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
    for name in APP_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy", name
    assert services["nginx"]["depends_on"]["web"]["condition"] == "service_healthy"
    build = services["web"]["build"]
    assert (COMPOSE.parent / build["context"] / build["dockerfile"]).is_file()


def test_nginx_upload_limit_fits_the_largest_upload() -> None:
    from django.conf import settings

    from matchway.documents.views.documents import REQUEST_OVERHEAD_BYTES

    match = re.search(r"client_max_body_size (\d+)m;", LOCATIONS.read_text())
    assert match
    limit = int(match.group(1)) * MB
    rows = (ROOT / "matchway" / "reference" / "data" / "document_types.csv").read_text()
    largest_mb = max(float(line.split(",")[3]) for line in rows.splitlines()[1:] if line)
    assert limit >= largest_mb * MB + REQUEST_OVERHEAD_BYTES
    assert limit >= settings.LETTER_MAX_BYTES + REQUEST_OVERHEAD_BYTES


def test_gunicorn_gives_up_before_nginx_does() -> None:
    namespace: dict[str, Any] = {}
    exec((ROOT / "config" / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102
    match = re.search(r"proxy_read_timeout (\d+)s;", LOCATIONS.read_text())
    assert match
    assert namespace["timeout"] < int(match.group(1))
    assert namespace["logger_class"] == "matchway.core.gunicorn.MaskingGunicornLogger"


@pytest.mark.parametrize(
    ("unit", "command"),
    [
        ("matchway-web.service", "gunicorn -c config/gunicorn.conf.py config.wsgi"),
        ("matchway-worker.service", "manage.py db_worker"),
        ("matchway-periodic.service", "manage.py run_periodic --loop"),
    ],
)
def test_systemd_units_run_the_right_process_with_production_settings(
    unit: str, command: str
) -> None:
    text = (DEPLOY / "systemd" / unit).read_text()
    exec_start = re.search(r"^ExecStart=(.+)$", text, re.M)
    assert exec_start and exec_start.group(1).endswith(command)
    assert "Environment=DJANGO_SETTINGS_MODULE=config.settings.prod" in text
    assert "EnvironmentFile=" in text
    assert re.search(r"^User=matchway$", text, re.M)
    assert re.search(r"^Restart=", text, re.M)
