"""Benchmark: the busiest pages besides the catalog, uncached, against the trivial view.

Issue #18 asks that the rotation page, the coordinator's review queue and the applicant
dashboard render fast when nothing is cached, like the catalog (bench/catalog.py). None of
them has a page cache: every request renders from the database. This script loads the same
throwaway catalog as bench/catalog.py (1,000 rotations, 5,000 sessions, 3,000 applicants
with an application each), adds a coordinator, signs the coordinator and one applicant in
(database sessions, as in production), serves it with gunicorn (2 workers, production
settings) and measures, side by side and interleaved, requests per second of:

    /healthz                                  the trivial view
    /rotations/<slug>/                        anonymous, a different rotation each request
    /rotations/manage/applications/           the review queue, as the coordinator
    /dashboard/                               as the applicant (an application, documents)
    /rotations/applications/                  the applicant's applications

and prints each one's ratio to /healthz and its queries per request (counted in-process).

    .venv/bin/python bench/pages.py [--duration 5] [--connections 16] [--data DIR]
    .venv/bin/python bench/pages.py --profile queue      # cProfile of one page, no server

Target (docs/dev/caching.md): each page >= 0.25 of /healthz, query counts constant.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import catalog as catalog_bench  # noqa: E402 - the same data as the catalog benchmark
from benchlib import free_port, start_gunicorn, stop, wrk_rps  # noqa: E402

TARGET_RATIO = 0.25
COORDINATOR = "coordinator@bench.test"
APPLICANT = "applicant0@bench.test"

# A different rotation page per request (slugs from load_data).
ROTATION_LUA = """
counter = math.random(0, 999)
request = function()
  counter = (counter + 1) % {count}
  return wrk.format("GET", "/rotations/bench-rotation-" .. counter .. "/")
end
"""


def bench_environment(workdir: Path) -> dict[str, str]:
    """The production settings the benchmark serves with (tests/test_bench_settings.py)."""
    return catalog_bench.bench_environment(workdir)


def sign_in() -> dict[str, str]:
    """Session cookies of the coordinator and the applicant (rows in the session table)."""
    from django.conf import settings
    from django.test import Client

    from matchway.accounts.models import Role, User

    User.objects.get_or_create(
        email=COORDINATOR, defaults={"full_name": "Bench Coordinator", "role": Role.COORDINATOR}
    )
    cookies = {}
    for key, email in (("coordinator", COORDINATOR), ("applicant", APPLICANT)):
        client = Client()
        client.force_login(User.objects.get(email=email))
        cookies[key] = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    return cookies


PAGES: dict[str, tuple[str, str | None]] = {
    # name: (path, who)
    "rotation": ("/rotations/bench-rotation-7/", None),
    "queue": ("/rotations/manage/applications/", "coordinator"),
    "dashboard": ("/dashboard/", "applicant"),
    "applications": ("/rotations/applications/", "applicant"),
}


def count_queries(cookies: dict[str, str]) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, (path, who) in PAGES.items():
        client = Client(HTTP_HOST="127.0.0.1", HTTP_COOKIE=cookies[who] if who else "")
        client.get(path)  # warm: per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{name}: HTTP {response.status_code} for {path}")
        counts[name] = len(queries.captured_queries)
    return counts


def profile(name: str, cookies: dict[str, str], requests: int = 200) -> None:
    import cProfile
    import pstats

    from django.test import Client

    path, who = PAGES[name]
    client = Client(HTTP_HOST="127.0.0.1", HTTP_COOKIE=cookies[who] if who else "")
    for _ in range(20):
        assert client.get(path).status_code == 200
    started = time.perf_counter()
    for _ in range(requests):
        client.get(path)
    print(f"{name}: {(time.perf_counter() - started) / requests * 1000:.1f} ms a request")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    dump = Path(tempfile.gettempdir()) / f"matchway-{name}.pstats"
    stats.dump_stats(dump)
    print(f"raw profile: {dump} (python -m pstats)")
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(20)


def measure(
    base: str, cookies: dict[str, str], duration: int, connections: int, workdir: Path
) -> dict[str, float]:
    script = workdir / "rotation.lua"
    script.write_text(ROTATION_LUA.replace("{count}", "1000"))

    def run(name: str, seconds: int) -> float:
        if name == "healthz":
            return wrk_rps(base + "/healthz", seconds, connections)
        path, who = PAGES[name]
        headers = (f"Cookie: {cookies[who]}",) if who else ()
        extra = str(script) if name == "rotation" else None
        return wrk_rps(base + path, seconds, connections, extra, headers)

    names = ["healthz", *PAGES]
    for name in names:  # warm-up: imports, per-process caches
        run(name, 2)
    results: dict[str, list[float]] = {name: [] for name in names}
    for _round in range(2):  # interleaved, so a noisy neighbour hurts every page alike
        for name in names:
            results[name].append(run(name, duration))
    return {name: sum(values) / len(values) for name, values in results.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--data", help="keep the database in this folder (shared with catalog.py)")
    parser.add_argument("--profile", choices=sorted(PAGES), help="cProfile one page in-process")
    args = parser.parse_args()
    if not shutil.which("wrk") and not args.profile:
        print("wrk is missing (apt-get install wrk)")
        return 2
    workdir = Path(args.data).resolve() if args.data else Path(tempfile.mkdtemp(prefix="mw-pages-"))
    workdir.mkdir(parents=True, exist_ok=True)
    server = None
    try:
        env = catalog_bench.prepare_environment(workdir)
        catalog_bench.prepare_data(workdir, args.data is not None, 1000, 5000)
        cookies = sign_in()
        queries = count_queries(cookies)
        if args.profile:
            profile(args.profile, cookies)
            return 0
        port = free_port()
        server = start_gunicorn(
            env, port, ["--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
        )
        rps = measure(f"http://127.0.0.1:{port}", cookies, args.duration, args.connections, workdir)
        print(f"wrk, {args.connections} connections, 2 gunicorn workers, no page cache")
        print(f"{'page':14s} {'req/s':>9s} {'ratio':>6s} {'queries':>8s}")
        print(f"{'/healthz':14s} {rps['healthz']:9.1f} {1:6.2f} {'-':>8s}")
        ok = True
        for name in PAGES:
            ratio = rps[name] / rps["healthz"]
            ok = ok and ratio >= TARGET_RATIO
            print(f"{name:14s} {rps[name]:9.1f} {ratio:6.2f} {queries[name]:8d}")
        print(f"target: every page >= {TARGET_RATIO} of /healthz")
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        if server is not None:
            stop(server)
        if not args.data:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
