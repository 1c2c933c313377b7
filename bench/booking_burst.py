"""Benchmark: a burst of applicants hits one small instant session through real HTTP.

Run from the repository root:

    .venv/bin/python bench/booking_burst.py            # SQLite
    .venv/bin/python bench/booking_burst.py --pg       # SQLite, then PostgreSQL

For each database it creates a throwaway database (DATABASE_URL + `migrate`), seeds N
applicants with API tokens and one instant session with C seats, starts gunicorn
(`config.wsgi`, production settings, 127.0.0.1 on a free port), fires N concurrent
`POST /api/v1/sessions/{id}/applications` with Bearer tokens, prints accepted /
session_full / other outcomes and the elapsed time, checks the rows, then stops gunicorn
and drops the database. Exit status is non-zero unless exactly C were accepted and nothing
else than `session_full` came back — on every database.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
sys.path.insert(0, str(ROOT / "bench"))

from benchlib import free_port, production_environment, wait_healthy  # noqa: E402

GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"


# --- Child-process steps (run with the benchmark's DATABASE_URL in the environment) ------


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def child_seed(applicants: int, capacity: int) -> None:
    """Seed applicants + tokens + one open instant session; print JSON for the parent."""
    _django()
    import datetime as dt

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from matchway.accounts.models import User
    from matchway.accounts.services import api_token_create
    from matchway.reference.models import Specialty, State
    from matchway.rotations.models import Rotation, RotationSession, Site

    specialty, _ = Specialty.objects.get_or_create(
        code="140", defaults={"name": "Internal Medicine"}
    )
    state, _ = State.objects.get_or_create(code="NY", defaults={"name": "New York"})
    site = Site.objects.create(name="Bench Hospital", kind="hospital", city="Brooklyn", state=state)
    rotation = Rotation.objects.create(
        slug="bench-rotation",
        title="Bench Rotation",
        specialty=specialty,
        kind="clerkship",
        site=site,
        price_cents=100_000,
        deposit_cents=10_000,
        published=True,
    )
    start = timezone.localdate() + dt.timedelta(days=30)
    session = RotationSession.objects.create(
        rotation=rotation,
        start_date=start,
        end_date=start + dt.timedelta(days=27),
        capacity=capacity,
        booking_mode="instant",
    )
    password = make_password(secrets.token_urlsafe(16))
    users = User.objects.bulk_create(
        User(email=f"burst{i}@example.com", full_name=f"Burst {i}", password=password)
        for i in range(applicants)
    )
    tokens = [api_token_create(user=user, name="burst")[0] for user in users]
    print(json.dumps({"session_id": session.pk, "tokens": tokens}))


def child_verify(session_id: int) -> None:
    """Print the seat facts from the rows themselves."""
    _django()
    from matchway.rotations.models import Application, RotationSession
    from matchway.rotations.selectors import seats_in_use

    session = RotationSession.objects.get(pk=session_id)
    accepted = Application.objects.filter(session=session, status="accepted").count()
    print(json.dumps({"seats_in_use": seats_in_use(session), "accepted_rows": accepted}))


# --- Parent -----------------------------------------------------------------------------


@dataclass
class Result:
    label: str
    outcomes: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    def ok(self, capacity: int, applicants: int) -> bool:
        return (
            self.outcomes["accepted"] == capacity
            and self.outcomes["session_full"] == applicants - capacity
            and self.rows.get("seats_in_use") == capacity
            and self.rows.get("accepted_rows") == capacity
        )


def run_child(env: dict[str, str], *args: str) -> Any:
    done = subprocess.run(
        [PYTHON, __file__, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{args[0]} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def burst(port: int, session_id: int, tokens: list[str], result: Result) -> None:
    """All requests start together (barrier); each thread has its own HTTP connection."""
    barrier = threading.Barrier(len(tokens) + 1)
    lock = threading.Lock()
    path = f"/api/v1/sessions/{session_id}/applications"
    body = json.dumps({"motivation": "burst"})

    def one(token: str) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        outcome = "no_response"
        barrier.wait()
        started = time.monotonic()
        try:
            conn.request(
                "POST",
                path,
                body=body,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            response = conn.getresponse()
            payload = json.loads(response.read() or b"{}")
            if response.status == 201:
                outcome = str(payload.get("status"))
            else:
                outcome = str(payload.get("code", f"http_{response.status}"))
        except Exception as exc:  # counted as an error, never hidden
            outcome = f"exception:{type(exc).__name__}"
        finally:
            conn.close()
        with lock:
            result.outcomes[outcome] += 1
            result.latencies.append(time.monotonic() - started)

    threads = [threading.Thread(target=one, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join()
    result.elapsed = time.monotonic() - started


def bench_environment(database_url: str, workdir: Path) -> dict[str, str]:
    """The production settings the burst runs under (tests/test_bench_settings.py)."""
    return production_environment(database_url, workdir, cache_db=15)


def run_one(label: str, database_url: str, args: argparse.Namespace, workdir: Path) -> Result:
    env = {**os.environ, **bench_environment(database_url, workdir)}
    migrate = subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if migrate.returncode != 0:
        raise SystemExit(f"migrate failed on {label}:\n{migrate.stderr[-3000:]}")
    seeded = run_child(env, "_seed", str(args.applicants), str(args.capacity))
    port = free_port()
    log = (workdir / f"gunicorn-{label}.log").open("wb")
    proc = subprocess.Popen(
        [
            GUNICORN,
            "config.wsgi",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--backlog",
            "1024",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    result = Result(label)
    try:
        wait_healthy(port, proc, timeout=30)
        burst(port, seeded["session_id"], seeded["tokens"], result)
    finally:
        proc.send_signal(signal.SIGTERM)  # only the gunicorn we started
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    result.rows = run_child(env, "_verify", str(seeded["session_id"]))
    return result


def pg_database(admin_url: str) -> tuple[str, str]:
    """Create a throwaway PostgreSQL database; return (its URL, its name)."""
    import psycopg

    name = f"matchway_bench_{secrets.token_hex(4)}"
    conninfo = admin_url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}", name


def pg_drop(admin_url: str, name: str) -> None:
    import psycopg

    conninfo = admin_url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def report(result: Result, args: argparse.Namespace) -> None:
    other = {k: v for k, v in result.outcomes.items() if k not in ("accepted", "session_full")}
    latencies = sorted(result.latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0
    print(
        f"{result.label:>10}: accepted={result.outcomes['accepted']} "
        f"session_full={result.outcomes['session_full']} other={sum(other.values())} "
        f"{other or ''} elapsed={result.elapsed:.2f}s "
        f"p50={statistics.median(latencies) if latencies else 0:.3f}s p95={p95:.3f}s "
        f"rows={result.rows} -> {'OK' if result.ok(args.capacity, args.applicants) else 'FAIL'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applicants", type=int, default=200)
    parser.add_argument("--capacity", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker")
    parser.add_argument("--pg", action="store_true", help="also run against PostgreSQL")
    parser.add_argument("--pg-admin-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG))
    args = parser.parse_args()
    print(
        f"booking burst: {args.applicants} applicants, {args.capacity} seats, gunicorn "
        f"{args.workers} workers x {args.threads} threads"
    )
    results: list[Result] = []
    workdir = Path(tempfile.mkdtemp(prefix="matchway-burst-"))
    try:
        sqlite_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        results.append(run_one("sqlite", sqlite_url, args, workdir))
        report(results[-1], args)
        if args.pg:
            url, name = pg_database(args.pg_admin_url)
            try:
                results.append(run_one("postgresql", url, args, workdir))
                report(results[-1], args)
            finally:
                pg_drop(args.pg_admin_url, name)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if all(r.ok(args.capacity, args.applicants) for r in results) else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_seed":
        child_seed(int(sys.argv[2]), int(sys.argv[3]))
    elif len(sys.argv) > 1 and sys.argv[1] == "_verify":
        child_verify(int(sys.argv[2]))
    else:
        sys.exit(main())
