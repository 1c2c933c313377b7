"""The real nginx in front of the test server: private files leave through X-Accel-Redirect.

nginx (Debian's /usr/sbin/nginx; `.ci/run` installs it) runs as a foreground subprocess with a
throw-away prefix, on a free port, with deploy/nginx/matchway-locations.conf — the very
snippet operators install — rendered for this test: the private root is the test's
PRIVATE_MEDIA_ROOT and the upstream is pytest-django's live_server. A signed-in owner downloads
their document through nginx (bytes, headers, audit); the internal location is refused when
asked for directly, and a document the reader may not see stays a 404.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from matchway.core.models import AuditEvent
from matchway.documents.tests import samples
from matchway.documents.tests.factories import upload_document

ROOT = Path(__file__).resolve().parent.parent
LOCATIONS = ROOT / "deploy" / "nginx" / "matchway-locations.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.access(NGINX, os.X_OK) and os.environ.get("MATCHWAY_REQUIRE_NGINX") != "1",
        reason="nginx is not installed (CI installs it; .ci/run)",
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def render_locations(*, private_root: Path, static_root: Path) -> str:
    """deploy/nginx/matchway-locations.conf with this machine's paths in place of /srv/…."""
    text = LOCATIONS.read_text()
    for placeholder in ("/srv/matchway/var/private/", "/srv/matchway/staticfiles/"):
        assert placeholder in text, f"{placeholder} is no longer in {LOCATIONS.name}"
    text = text.replace("/srv/matchway/var/private/", f"{private_root}/")
    return text.replace("/srv/matchway/staticfiles/", f"{static_root}/")


@pytest.fixture
def nginx(live_server: Any, tmp_path: Path) -> Iterator[str]:
    prefix = tmp_path / "nginx"
    (prefix / "logs").mkdir(parents=True)
    static_root = tmp_path / "static"
    static_root.mkdir()
    (static_root / "hello.txt").write_text("static ok")
    locations = prefix / "matchway-locations.conf"
    locations.write_text(
        render_locations(private_root=Path(settings.PRIVATE_MEDIA_ROOT), static_root=static_root)
    )
    upstream = urlsplit(live_server.url).netloc
    port = _free_port()
    # As root, nginx would drop its workers to `nobody`, who cannot read 0640 uploads.
    user = "user root;" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"""
{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log info;
events {{ worker_connections 64; }}
http {{
    access_log {prefix}/logs/access.log;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream matchway_app {{ server {upstream}; keepalive 4; }}
    map $scheme $matchway_forwarded_proto {{ default $scheme; }}
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        include {locations};
    }}
}}
"""
    )
    check = subprocess.run(
        [NGINX, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {proc.stderr.read() if proc.stderr else ''!r}")
            try:
                httpx.get(f"{base}/static/hello.txt", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()


def _session_cookies(user: Any) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


@pytest.fixture
def accel(settings: Any) -> None:
    settings.PRIVATE_FILES_ACCEL_REDIRECT_PREFIX = "/_private/"


def test_a_private_document_leaves_through_nginx_after_the_check(
    accel: None, nginx: str, applicant: Any, reference_data: None
) -> None:
    content = samples.make_pdf(pages=3)
    document = upload_document(applicant, "cv", content=content, name="My CV.pdf")
    with document.file.open("rb") as handle:
        stored = handle.read()
    url = nginx + reverse("documents:download", args=[document.pk])

    response = httpx.get(url, cookies=_session_cookies(applicant), timeout=10)

    assert response.status_code == 200, response.text[:300]
    assert response.content == stored
    assert len(response.content) > 0
    headers = response.headers
    assert "x-accel-redirect" not in headers
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"] == 'attachment; filename="My CV.pdf"'
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "private, no-store"
    assert headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert headers["content-length"] == str(len(stored))
    events = AuditEvent.objects.filter(action="document.downloaded", target_id=str(document.pk))
    assert events.count() == 1


def test_the_internal_location_is_refused_from_outside(
    accel: None, nginx: str, applicant: Any, reference_data: None
) -> None:
    document = upload_document(applicant, "cv", content=samples.make_pdf(pages=1), name="a.pdf")
    cookies = _session_cookies(applicant)
    direct = httpx.get(f"{nginx}/_private/{document.file.name}", cookies=cookies, timeout=10)
    assert direct.status_code == 404
    assert b"%PDF" not in direct.content
    # Path tricks do not reach the files either.
    for path in (f"/static/../_private/{document.file.name}", "/_private/"):
        tricked = httpx.get(nginx + path, cookies=cookies, timeout=10)
        assert b"%PDF" not in tricked.content
        assert tricked.status_code in (400, 404)
    assert not AuditEvent.objects.filter(action="document.downloaded").exists()


def test_a_hidden_document_is_a_404_through_nginx_too(
    accel: None, nginx: str, applicant: Any, outsider: Any, reference_data: None
) -> None:
    document = upload_document(applicant, "cv", content=samples.make_pdf(pages=1), name="a.pdf")
    url = nginx + reverse("documents:download", args=[document.pk])
    response = httpx.get(url, cookies=_session_cookies(outsider), timeout=10)
    assert response.status_code == 404
    assert b"%PDF" not in response.content
    assert not AuditEvent.objects.filter(action="document.downloaded").exists()


def test_the_preview_keeps_its_own_policy_through_nginx(
    accel: None, nginx: str, applicant: Any, coordinator: Any, reference_data: None
) -> None:
    document = upload_document(applicant, "cv", content=samples.make_pdf(pages=1), name="a.pdf")
    url = nginx + reverse("documents:download", args=[document.pk]) + "?inline=1"
    response = httpx.get(url, cookies=_session_cookies(coordinator), timeout=10)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response.headers["content-disposition"].startswith("inline")
    assert "frame-ancestors 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "SAMEORIGIN"


def test_static_files_and_the_upload_limit_come_from_the_deploy_config(nginx: str) -> None:
    assert httpx.get(f"{nginx}/static/hello.txt", timeout=10).text == "static ok"
    too_big = httpx.post(
        f"{nginx}/documents/upload/",
        content=b"x" * (13 * 1024 * 1024),
        headers={"Content-Type": "application/octet-stream"},
        timeout=30,
    )
    assert too_big.status_code == 413
