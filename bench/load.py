"""Load bench: a realistic mix against the production stack on PostgreSQL.

Builds a fresh PostgreSQL database (dropped afterwards), loads reference data and guides,
300 rotations with 3 sessions each, 400 applicants (each with some applications), and 3
coordinators; serves it with gunicorn (config/gunicorn.conf.py, production settings, 2 web
processes, Redis cache) on a free localhost port, then runs N virtual users for a while. Each
virtual user repeatedly picks an action by weight:

    anonymous   catalog (filtered: a different max_price/sort each time), rotation page,
                guides index and an article
    applicant   dashboard, apply to a session (GET the form, POST it), upload a CV (PDF)
    coordinator review queue, open an application and decide it (accept/decline)

Every response is checked (status, and the redirect a successful POST gives); anything else
is an error. Prints throughput, p50/p95/p99 latency per action and the errors.

    .venv/bin/python bench/load.py [--duration 60] [--users 8] [--workers 2]
        [--database-url postgres://postgres@127.0.0.1:5432/matchway_load]

Needs PostgreSQL (the URL's database is dropped and recreated) and Redis on 127.0.0.1:6379.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from benchlib import free_port, production_environment, start_gunicorn  # noqa: E402

# action -> weight (out of 100)
MIX = {
    "anon_catalog": 30,
    "anon_rotation": 12,
    "anon_guides": 10,
    "applicant_dashboard": 12,
    "applicant_apply": 10,
    "applicant_upload": 8,
    "coordinator_queue": 10,
    "coordinator_decide": 8,
}
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def environment(database_url: str, workdir: Path, workers: int, port: int) -> dict[str, str]:
    """Production settings, served by config/gunicorn.conf.py (tests/test_bench_settings.py)."""
    return production_environment(
        database_url,
        workdir,
        CONN_MAX_AGE="60",
        GUNICORN_WORKERS=str(workers),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_ACCESSLOG="",
        GUNICORN_LOGLEVEL="warning",
    )


def recreate_database(database_url: str) -> None:
    import psycopg

    base, name = database_url.replace("postgres://", "postgresql://", 1).rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(database_url: str) -> None:
    import psycopg

    base, name = database_url.replace("postgres://", "postgresql://", 1).rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Fixtures:
    applicants: list[str]  # session cookies
    coordinators: list[str]
    rotation_slugs: list[str]
    session_ids: list[int]
    guide_slugs: list[str]
    reviewable: list[int]  # submitted applications a coordinator may decide
    pdf: bytes
    session_cookie: str


def load_data(rotations: int, applicants: int) -> Fixtures:
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from fpdf import FPDF

    from matchway.accounts.models import Role, User
    from matchway.core import clock
    from matchway.guides.models import Article
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
    cache.clear()
    rng = random.Random(18)  # reproducible fake data
    states = list(State.objects.all())
    specialties = list(Specialty.objects.all())
    sites = Site.objects.bulk_create(
        Site(
            name=f"Load Hospital {i}",
            kind=SiteKind.HOSPITAL,
            address=f"{i} Main Street",
            city=f"City {i % 23}",
            state=rng.choice(states),
        )
        for i in range(40)
    )
    preceptors = User.objects.bulk_create(
        User(email=f"preceptor{i}@load.test", full_name=f"Dr. Load {i}", role=Role.PRECEPTOR)
        for i in range(60)
    )
    kinds = [k.value for k in RotationKind]
    created = Rotation.objects.bulk_create(
        Rotation(
            slug=f"load-rotation-{i}",
            title=f"{rng.choice(specialties).name} rotation {i}",
            specialty=rng.choice(specialties),
            kind=rng.choice(kinds),
            hands_on=rng.random() < 0.4,
            site=rng.choice(sites),
            description="## About\n\nA rotation for the load bench.",
            weeks=4,
            price_cents=rng.randrange(50_000, 450_000, 5_000),
            deposit_cents=20_000,
            published=True,
        )
        for i in range(rotations)
    )
    through = Rotation.preceptors.through
    through.objects.bulk_create(
        through(rotation_id=r.pk, user_id=rng.choice(preceptors).pk) for r in created
    )
    today = clock.now().date()
    sessions = RotationSession.objects.bulk_create(
        RotationSession(
            rotation=r,
            start_date=(start := today + timedelta(days=30 + 28 * k + rng.randrange(7))),
            end_date=start + timedelta(days=27),
            # Plenty of seats: the bench measures throughput, not the waitlist.
            capacity=rng.randrange(200, 400),
            booking_mode=BookingMode.REVIEW,
        )
        for r in created
        for k in range(3)
    )
    people = User.objects.bulk_create(
        User(email=f"applicant{i}@load.test", full_name=f"Applicant {i}", role=Role.APPLICANT)
        for i in range(applicants)
    )
    coordinators = [
        User.objects.create(
            email=f"coordinator{i}@load.test", full_name=f"Coordinator {i}", role=Role.COORDINATOR
        )
        for i in range(3)
    ]
    # Some history: every applicant has applied to two sessions already.
    pending = Application.objects.bulk_create(
        Application(
            applicant=person,
            session=session,
            status=ApplicationStatus.SUBMITTED,
            consent_share_documents=True,
        )
        for person in people
        for session in rng.sample(sessions, 2)
    )
    # Guides: the seeded articles (guides' data migration), whatever their number.
    guide_slugs = list(Article.objects.visible().values_list("slug", flat=True)[:20])

    def cookie_for(user: Any) -> str:
        client = Client()
        client.force_login(user)
        return str(client.cookies[settings.SESSION_COOKIE_NAME].value)

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for line in range(40):
        pdf.cell(0, 8, f"Curriculum vitae, line {line}", new_x="LMARGIN", new_y="NEXT")
    buffer = io.BytesIO()
    pdf.output(buffer)
    print(
        f"data: {Rotation.objects.count()} rotations, {RotationSession.objects.count()} "
        f"sessions, {User.objects.filter(role=Role.APPLICANT).count()} applicants, "
        f"{Application.objects.count()} applications, {len(guide_slugs)} guides"
    )
    return Fixtures(
        applicants=[cookie_for(person) for person in people],
        coordinators=[cookie_for(person) for person in coordinators],
        rotation_slugs=[r.slug for r in created],
        session_ids=[s.pk for s in sessions],
        guide_slugs=guide_slugs,
        reviewable=[a.pk for a in pending],
        pdf=buffer.getvalue(),
        session_cookie=settings.SESSION_COOKIE_NAME,
    )


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    return start_gunicorn(env, port, ["-c", "config/gunicorn.conf.py"])


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, action: str, seconds: float, requests: int, error: str | None) -> None:
        with self.lock:
            self.latencies[action].append(seconds)
            self.requests += requests
            if error:
                self.errors.append(f"{action}: {error}")


class VirtualUser:
    def __init__(self, base: str, fixtures: Fixtures, results: Results, seed: int) -> None:
        self.base = base
        self.fx = fixtures
        self.results = results
        self.rng = random.Random(seed)
        self.http = httpx.Client(base_url=base, timeout=30, follow_redirects=False)
        self.cookies: dict[str, str] = {}

    # Cookies by hand: production marks them Secure, and this runs over plain HTTP.
    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = kwargs.pop("headers", {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = self.http.request(method, url, headers=headers, **kwargs)
        self.http.cookies.clear()
        for raw in response.headers.get_list("set-cookie"):
            name, _, rest = raw.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in raw or "expires=Thu, 01 Jan 1970" in raw:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response

    def _as(self, cookie: str) -> None:
        self.cookies = {self.fx.session_cookie: cookie}

    def _expect(self, response: httpx.Response, *statuses: int) -> str | None:
        if response.status_code in statuses:
            return None
        return f"{response.request.method} {response.request.url.path} -> {response.status_code}"

    def _form_post(self, page: str, post: str, data: dict[str, Any], **kwargs: Any) -> str | None:
        form = self._send("GET", page)
        if form.status_code != 200:
            return self._expect(form, 200)
        match = CSRF_RE.search(form.text)
        if not match:
            return f"GET {page}: no CSRF token"
        data = {**data, "csrfmiddlewaretoken": match.group(1)}
        response = self._send(
            "POST", post, data=data, headers={"Referer": self.base + page}, **kwargs
        )
        return self._expect(response, 302, 303)

    def run_action(self, action: str) -> tuple[int, str | None]:
        rng, fx = self.rng, self.fx
        if action == "anon_catalog":
            self.cookies = {}
            price = rng.randrange(1000, 4500, 50)
            sort = rng.choice(["price", "soonest", ""])
            response = self._send("GET", f"/rotations/?max_price={price}&sort={sort}")
            return 1, self._expect(response, 200)
        if action == "anon_rotation":
            self.cookies = {}
            response = self._send("GET", f"/rotations/{rng.choice(fx.rotation_slugs)}/")
            return 1, self._expect(response, 200)
        if action == "anon_guides":
            self.cookies = {}
            error = self._expect(self._send("GET", "/guides/"), 200)
            if error or not fx.guide_slugs:
                return 1, error
            return 2, self._expect(self._send("GET", f"/guides/{rng.choice(fx.guide_slugs)}/"), 200)
        if action == "applicant_dashboard":
            self._as(rng.choice(fx.applicants))
            return 1, self._expect(self._send("GET", "/dashboard/"), 200)
        if action == "applicant_apply":
            self._as(rng.choice(fx.applicants))
            url = f"/rotations/sessions/{rng.choice(fx.session_ids)}/apply/"
            data = {
                "motivation": "I would like to learn from your team.",
                "consent_share_documents": "on",
            }
            return 2, self._form_post(url, url, data)
        if action == "applicant_upload":
            self._as(rng.choice(fx.applicants))
            files = {"cv-file": ("cv.pdf", fx.pdf, "application/pdf")}  # form prefix: the type
            return 2, self._form_post(
                "/documents/", "/documents/upload/", {"type": "cv"}, files=files
            )
        if action == "coordinator_queue":
            self._as(rng.choice(fx.coordinators))
            return 1, self._expect(self._send("GET", "/rotations/manage/applications/"), 200)
        if action == "coordinator_decide":
            self._as(rng.choice(fx.coordinators))
            with self.results.lock:
                pk = fx.reviewable.pop() if fx.reviewable else None
            if pk is None:
                return 1, self._expect(self._send("GET", "/rotations/manage/applications/"), 200)
            page = f"/rotations/manage/applications/{pk}/"
            decision = rng.choice(["accept", "decline"])
            return 2, self._form_post(page, page + "decide/", {"action": decision, "message": ""})
        raise ValueError(action)

    def loop(self, stop_at: float) -> None:
        actions, weights = zip(*MIX.items(), strict=True)
        while time.monotonic() < stop_at:
            action = self.rng.choices(actions, weights)[0]
            started = time.perf_counter()
            try:
                requests, error = self.run_action(action)
            except httpx.HTTPError as exc:
                requests, error = 1, f"{type(exc).__name__}: {exc}"
            self.results.record(action, time.perf_counter() - started, requests, error)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def report(results: Results, seconds: float) -> None:
    total = sum(len(v) for v in results.latencies.values())
    print(
        f"\n{total} actions ({results.requests} HTTP requests) in {seconds:.1f} s: "
        f"{total / seconds:.1f} actions/s, {results.requests / seconds:.1f} requests/s"
    )
    print(f"{'action':<22}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for action in MIX:
        values = results.latencies.get(action, [])
        if not values:
            continue
        p50, p95, p99 = (percentile(values, p) * 1000 for p in (50, 95, 99))
        print(f"{action:<22}{len(values):>7}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}")
    print(f"errors: {len(results.errors)}")
    for line in results.errors[:20]:
        print(f"  {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--users", type=int, default=8, help="concurrent virtual users")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn web processes")
    parser.add_argument("--rotations", type=int, default=300)
    parser.add_argument("--applicants", type=int, default=400)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/matchway_load"
        ),
    )
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("the load bench runs on PostgreSQL (--database-url postgres://…)")

    port = free_port()
    with tempfile.TemporaryDirectory(prefix="matchway-load-") as tmp:
        env = environment(args.database_url, Path(tmp), args.workers, port)
        os.environ.update(env)
        recreate_database(args.database_url)
        server = None
        try:
            fixtures = load_data(args.rotations, args.applicants)
            from django.db import connections

            connections.close_all()
            server = start_server(env, port)
            base = f"http://127.0.0.1:{port}"
            # Warm up: every web process imports its templates once.
            for _ in range(args.workers * 4):
                for url in ("/rotations/", "/guides/", "/healthz"):
                    httpx.get(base + url, timeout=30)
            results = Results()
            started = time.monotonic()
            stop_at = started + args.duration
            users = [VirtualUser(base, fixtures, results, seed) for seed in range(args.users)]
            threads = [threading.Thread(target=u.loop, args=(stop_at,)) for u in users]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
            print(
                f"stack: gunicorn x{args.workers} (config/gunicorn.conf.py, production settings), "
                f"PostgreSQL, Redis cache; {args.users} virtual users, {args.duration:.0f} s"
            )
            report(results, elapsed)
            return 1 if results.errors else 0
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
            if not args.keep_database:
                from django.db import connections

                connections.close_all()
                drop_database(args.database_url)


if __name__ == "__main__":
    raise SystemExit(main())
