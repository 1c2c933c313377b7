"""Benchmark: the public catalog (/rotations/) against the trivial view (/healthz).

Builds a throwaway database (a temporary SQLite file unless DATABASE_URL is set), loads
reference data, 1,000 rotations and 5,000 sessions (bulk_create, with bookings so seat
counts are real), serves it with gunicorn (2 workers, production settings, DEBUG off) on a
free localhost port, and measures requests per second of both URLs in the same run with
`wrk` (or a small threaded client when wrk is missing). Also counts the SQL queries of one
uncached catalog request in-process.

Three URLs are measured side by side, interleaved: /healthz, the cached catalog (the same
URL again and again) and the filtered catalog (every request a different max_price/sort, so
the page cache never answers and every request renders from the database).

Run from the repository root:

    .venv/bin/python bench/catalog.py [--duration 10] [--connections 16]
    .venv/bin/python bench/catalog.py --profile      # cProfile of filtered requests, no server
    .venv/bin/python bench/catalog.py --data /tmp/mw-bench   # keep/reuse the database there

Targets: cached catalog/healthz >= 0.5; filtered catalog/healthz >= 0.25 (stretch 0.35);
queries per filtered catalog request <= 10 (docs/dev/caching.md).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from benchlib import (  # noqa: E402 - after the path
    free_port,
    production_environment,
    start_gunicorn,
    stop,
    wrk_rps,
)

TARGET_RATIO = 0.5
TARGET_FILTERED_RATIO = 0.25
TARGET_QUERIES = 10
SORTS = ("start", "price", "-price")


def filtered_path(n: int) -> str:
    """The n-th filtered catalog URL: a different max_price/sort combination each time."""
    return f"/rotations/?max_price={1000 + n % 4000}&sort={SORTS[(n // 4000) % 3]}"


def bench_environment(workdir: Path) -> dict[str, str]:
    """The production settings the benchmark serves with (tests/test_bench_settings.py)."""
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    return production_environment(database_url, workdir)


def prepare_environment(workdir: Path) -> dict[str, str]:
    env = bench_environment(workdir)
    os.environ.update(env)
    return env


def load_data(rotations: int, sessions: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from matchway.accounts.models import Role, User
    from matchway.documents.models import DocumentType
    from matchway.reference.models import Specialty, State
    from matchway.rotations.models import (
        Application,
        ApplicationStatus,
        BookingMode,
        Rotation,
        RotationKind,
        RotationSession,
        Site,
        SiteKind,
    )

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("load_reference_data", verbosity=0)
    rng = random.Random(4)  # reproducible fake data
    states = list(State.objects.all())
    specialties = list(Specialty.objects.all())
    doc_types = list(DocumentType.objects.all())
    sites = Site.objects.bulk_create(
        Site(
            name=f"Bench Hospital {i}",
            kind=SiteKind.HOSPITAL,
            address=f"{i} Main Street",
            city=f"City {i % 37}",
            state=rng.choice(states),
        )
        for i in range(60)
    )
    people = User.objects.bulk_create(
        User(email=f"preceptor{i}@bench.test", full_name=f"Dr. Bench {i}", role=Role.PRECEPTOR)
        for i in range(200)
    )
    applicants = User.objects.bulk_create(
        User(email=f"applicant{i}@bench.test", full_name=f"Applicant {i}", role=Role.APPLICANT)
        for i in range(3000)
    )
    kinds = [k.value for k in RotationKind]
    created = Rotation.objects.bulk_create(
        Rotation(
            slug=f"bench-rotation-{i}",
            title=f"{rng.choice(specialties).name} rotation {i}",
            specialty=rng.choice(specialties),
            kind=rng.choice(kinds),
            hands_on=rng.random() < 0.4,
            site=rng.choice(sites),
            description="## About\n\nA benchmark rotation.",
            weeks=4,
            price_cents=rng.randrange(50_000, 450_000, 5_000),
            deposit_cents=20_000,
            published=True,
        )
        for i in range(rotations)
    )
    through = Rotation.preceptors.through
    through.objects.bulk_create(
        through(rotation_id=r.pk, user_id=rng.choice(people).pk) for r in created
    )
    docs = Rotation.required_document_types.through
    docs.objects.bulk_create(
        docs(rotation_id=r.pk, documenttype_id=t.pk)
        for r in created
        for t in rng.sample(doc_types, 3)
    )
    today = timezone.localdate()
    per_rotation = max(1, sessions // rotations)
    session_rows = RotationSession.objects.bulk_create(
        RotationSession(
            rotation=r,
            start_date=(start := today + timedelta(days=7 + 28 * k + rng.randrange(7))),
            end_date=start + timedelta(days=27),
            capacity=rng.randrange(2, 8),
            booking_mode=rng.choice([BookingMode.INSTANT, BookingMode.REVIEW]),
        )
        for r in created
        for k in range(per_rotation)
    )
    statuses = [
        ApplicationStatus.CONFIRMED,
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.SUBMITTED,
    ]
    now = timezone.now()
    Application.objects.bulk_create(
        Application(
            applicant=applicant,
            session=session,
            status=(status := rng.choice(statuses)),
            hold_expires_at=now + timedelta(hours=48) if status == "accepted" else None,
            consent_share_documents=True,
        )
        for applicant, session in zip(
            applicants, rng.sample(session_rows, len(applicants)), strict=True
        )
    )
    print(
        f"data: {Rotation.objects.count()} rotations, {RotationSession.objects.count()} "
        f"sessions, {Application.objects.count()} applications"
    )


def prepare_data(workdir: Path, keep: bool, rotations: int, sessions: int) -> None:
    """Load the benchmark's catalog, or (`keep`, SQLite) migrate the one already in workdir."""
    if (
        keep
        and (workdir / "bench.sqlite3").exists()
        and "postgres" not in os.environ.get("DATABASE_URL", "")
    ):
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("collectstatic", verbosity=0, interactive=False)
    else:
        load_data(rotations, sessions)


def count_queries() -> tuple[int, int, int]:
    """Queries of one catalog request with an empty cache, of a cached one and of a
    filtered one (a query string no request asked for before)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        response = client.get("/rotations/")
    assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as warm:
        client.get("/rotations/")
    with CaptureQueriesContext(connection) as filtered:
        response = client.get(filtered_path(123_457))
    assert response.status_code == 200, response.status_code
    return (
        len(cold.captured_queries),
        len(warm.captured_queries),
        len(filtered.captured_queries),
    )


def profile(requests: int) -> None:
    """cProfile of `requests` filtered catalog requests in this process (after a warm-up)."""
    import cProfile
    import pstats

    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for n in range(20):
        assert client.get(filtered_path(n)).status_code == 200
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for n in range(20, 20 + requests):
        client.get(filtered_path(n))
    profiler.disable()
    elapsed = time.perf_counter() - started
    print(f"{requests} filtered requests: {elapsed / requests * 1000:.1f} ms each (profiled)")
    dump = Path(tempfile.gettempdir()) / "matchway-catalog.pstats"
    profiler.dump_stats(dump)
    print(f"raw profile: {dump} (python -m pstats)")
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    return start_gunicorn(
        env, port, ["--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    )


# Every request gets its own max_price/sort, so every catalog request misses the cache.
FILTERED_LUA = """
counter = math.random(1, 1e6)
sorts = {"start", "price", "-price"}
request = function()
  counter = counter + 1
  local path = "/rotations/?max_price=" .. (1000 + counter % 4000)
    .. "&sort=" .. sorts[(math.floor(counter / 4000) % 3) + 1]
  return wrk.format("GET", path)
end
"""


def threaded_rps(url: str, duration: int, connections: int, script: str | None = None) -> float:
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    count = [0] * connections
    stop = time.monotonic() + duration
    offset = random.randrange(1_000_000)

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        n = 0
        while time.monotonic() < stop:
            n += 1
            path = filtered_path(offset + n * connections + i) if script else parts.path
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{url}: HTTP {response.status}")
            count[i] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(count) / (time.monotonic() - started)


def measure(
    base: str, duration: int, connections: int, workdir: Path, rounds: int = 2
) -> dict[str, float]:
    tool = wrk_rps if shutil.which("wrk") else threaded_rps
    script = workdir / "filtered.lua"
    script.write_text(FILTERED_LUA)
    for path in ("/healthz", "/rotations/"):
        # Warm-up: each worker imports, indexes static files and fills its caches once.
        tool(base + path, 5, connections)
    results: dict[str, list[float]] = {"/healthz": [], "/rotations/": [], "filtered": []}
    # Interleave two rounds so a noisy neighbour hurts every URL alike.
    for _round in range(rounds):
        for name in results:
            if name == "filtered":
                rate = tool(base + "/rotations/", duration, connections, str(script))
            else:
                rate = tool(base + name, duration, connections)
            results[name].append(rate)
    return {name: sum(values) / len(values) for name, values in results.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rotations", type=int, default=1000)
    parser.add_argument("--sessions", type=int, default=5000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds (averaged)")
    parser.add_argument(
        "--data", help="keep the database in this folder and reuse it when it already exists"
    )
    parser.add_argument(
        "--profile",
        type=int,
        nargs="?",
        const=100,
        metavar="N",
        help="profile N filtered requests in-process (cProfile) instead of serving",
    )
    args = parser.parse_args()
    if args.data:
        workdir = Path(args.data).resolve()
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        workdir = Path(tempfile.mkdtemp(prefix="matchway-bench-"))
    server: subprocess.Popen[bytes] | None = None
    try:
        env = prepare_environment(workdir)
        prepare_data(workdir, args.data is not None, args.rotations, args.sessions)
        cold, warm, filtered = count_queries()
        if args.profile:
            profile(args.profile)
            return 0
        port = free_port()
        server = start_server(env, port)
        rps = measure(
            f"http://127.0.0.1:{port}", args.duration, args.connections, workdir, args.rounds
        )
        ratio = rps["/rotations/"] / rps["/healthz"]
        filtered_ratio = rps["filtered"] / rps["/healthz"]
        tool = "wrk" if shutil.which("wrk") else "threaded client"
        print(f"tool: {tool}, {args.connections} connections, 2 gunicorn workers")
        print(f"/healthz           {rps['/healthz']:10.1f} req/s")
        print(f"catalog (cached)   {rps['/rotations/']:10.1f} req/s")
        print(
            f"catalog (filtered) {rps['filtered']:10.1f} req/s   (every request misses the cache)"
        )
        print(f"cached ratio       {ratio:10.2f}   (target >= {TARGET_RATIO})")
        print(
            f"filtered ratio     {filtered_ratio:10.2f}   (target >= {TARGET_FILTERED_RATIO}, "
            "stretch 0.35)"
        )
        print(f"queries            {cold:10d}   per catalog request, empty cache")
        print(
            f"                   {filtered:10d}   per filtered catalog request "
            f"(target <= {TARGET_QUERIES})"
        )
        print(f"                   {warm:10d}   per cached catalog request")
        ok = (
            ratio >= TARGET_RATIO
            and filtered_ratio >= TARGET_FILTERED_RATIO
            and max(cold, filtered) <= TARGET_QUERIES
        )
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        if server is not None:
            stop(server)
        if not args.data:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
