"""What the benchmarks share: production settings, a free port, gunicorn, wrk.

Each script under bench/ imports this module (`sys.path` holds bench/ when a script runs;
tests/test_bench_settings.py loads the scripts the same way).
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent


def production_environment(
    database_url: str, workdir: Path, *, cache_db: int = 14, **extra: str
) -> dict[str, str]:
    """Production settings (DEBUG off, shared Redis cache, no mail delivered, tasks inline)
    for a benchmark's server and for its own in-process setup. `extra` adds or overrides."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DEBUG": "0",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(workdir / "static"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "EMAIL_URL": "dummymail://",  # emails are rendered, not delivered
        "EMAIL_ALLOW_UNSENT": "true",
        "LOG_LEVEL": "WARNING",
        # Production requires a shared cache (rate limits, the catalog version).
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", f"redis://127.0.0.1:6379/{cache_db}"),
        **extra,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(port: int, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    """Until /healthz answers 200 (generous: two workers importing Django on a busy machine
    take a while). Stops the process and raises if it exits or never answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"gunicorn did not become healthy within {timeout:.0f} s")


def start_gunicorn(
    env: dict[str, str], port: int, args: list[str], *, log: IO[bytes] | None = None
) -> subprocess.Popen[bytes]:
    """gunicorn serving config.wsgi with `args`, healthy on `port` when this returns."""
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), *args, "config.wsgi"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT if log is not None else None,
    )
    wait_healthy(port, process)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()  # only the gunicorn we started
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def wrk_rps(
    url: str,
    duration: int,
    connections: int,
    script: str | None = None,
    headers: tuple[str, ...] = (),
) -> float:
    """Requests per second `wrk` reaches on `url`; any non-2xx response is an error."""
    extra = ["-s", script] if script else []
    for header in headers:
        extra += ["-H", header]
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", *extra, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"non-2xx responses from {url}:\n{out}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not match:
        raise RuntimeError(out)
    return float(match.group(1))
