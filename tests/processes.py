"""Real `manage.py runserver` processes for tests that need two servers at once (one process
each, like two gunicorn workers) on free localhost ports, against the pytest test database
(tests/subprocess_db.py), and the Redis database such tests share between them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.subprocess_db import database_url_for_subprocess

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_start(
    cache_url: str, *, strip_matchway_env: bool
) -> tuple[subprocess.Popen[bytes], str]:
    """Start one server with the two-process settings and return it with its base URL.

    DJANGO_* variables are always dropped so the child uses tests.settings_two_processes;
    with `strip_matchway_env` the MATCHWAY_* ones go too (MATCHWAY_SEASON and the like keep
    their defaults in the child, whatever the pytest run was started with).
    """
    port = free_port()
    dropped = ("DJANGO_", "MATCHWAY_") if strip_matchway_env else ("DJANGO_",)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(dropped)},
        "DJANGO_SETTINGS_MODULE": "tests.settings_two_processes",
        "DATABASE_URL": database_url_for_subprocess(),
        "CACHE_URL": cache_url,
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "runserver",
            "--noreload",
            "--skip-checks",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return proc, f"http://127.0.0.1:{port}"


def server_wait_ready(proc: subprocess.Popen[bytes], base: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server {base} exited with {proc.returncode}")
        try:
            httpx.get(f"{base}/healthz", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"server {base} did not start in time")


def two_servers(
    cache_url: str, *, strip_matchway_env: bool, start_seconds: float
) -> Iterator[tuple[str, str]]:
    """Yield the base URLs of two servers on one cache; stop both afterwards (for a fixture:
    `yield from two_servers(...)`). Both must answer /healthz within `start_seconds`."""
    started = [
        server_start(cache_url, strip_matchway_env=strip_matchway_env),
        server_start(cache_url, strip_matchway_env=strip_matchway_env),
    ]
    try:
        deadline = time.monotonic() + start_seconds
        for proc, base in started:
            server_wait_ready(proc, base, deadline)
        yield started[0][1], started[1][1]
    finally:
        for proc, _ in started:
            proc.terminate()
        for proc, _ in started:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def flushed_redis(url: str) -> Iterator[Any]:
    """A client for the Redis database at `url`, flushed before and after. Without Redis the
    test is skipped, except in CI where it fails."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.flushdb()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis at 127.0.0.1:6379 is unreachable (required in CI)")
        pytest.skip("Redis at 127.0.0.1:6379 is unreachable (outside CI the test is skipped)")
    try:
        yield client
    finally:
        client.flushdb()
