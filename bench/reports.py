"""Benchmark: the provider's reports page (/rotations/manage/reports/) on 5,000 applications.

Builds a throwaway SQLite database (or DATABASE_URL), loads reference data, then bulk-creates
40 rotations, 200 sessions, 5,000 applications across every status, a payment for most of
them and some refunds; signs a coordinator in with Django's test client and times the page
(median of --runs requests, after one warm-up) and counts its SQL queries.

    .venv/bin/python bench/reports.py [--applications 5000] [--runs 7]

Target: the same query count as with 10 applications (pinned in test_reports.py: 11).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="matchway-bench-reports-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(workdir / "private"))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from matchway.accounts.models import Role, User
    from matchway.core import clock
    from matchway.reference.models import Specialty, State
    from matchway.rotations.models import (
        Application,
        ApplicationStatus,
        Payment,
        Refund,
        Rotation,
        RotationKind,
        RotationSession,
        Site,
        SiteKind,
    )

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    rng = random.Random(16)
    now = clock.now()
    today = clock.provider_today()
    state = State.objects.first()
    specialties = list(Specialty.objects.all()[:20])
    site = Site.objects.create(name="Bench Hospital", kind=SiteKind.HOSPITAL, state=state)
    rotations = Rotation.objects.bulk_create(
        Rotation(
            slug=f"bench-{i}",
            title=f"Bench rotation {i}",
            specialty=rng.choice(specialties),
            kind=RotationKind.CLERKSHIP,
            site=site,
            price_cents=rng.randrange(100_000, 400_000, 10_000),
            deposit_cents=50_000,
            refund_rules={"deposit": [{"until_days": 30, "percent": 100}]},
            published=True,
        )
        for i in range(40)
    )
    sessions = RotationSession.objects.bulk_create(
        RotationSession(
            rotation=rotations[i % 40],
            start_date=today.replace(month=1, day=1) + timedelta(days=(i * 3) % 360),
            end_date=today.replace(month=1, day=1) + timedelta(days=(i * 3) % 360 + 27),
            capacity=30,
        )
        for i in range(200)
    )
    users = User.objects.bulk_create(
        User(email=f"a{i}@bench.test", full_name=f"Applicant {i}", role=Role.APPLICANT)
        for i in range(args.applications)
    )
    statuses = [s.value for s in ApplicationStatus]
    apps = Application.objects.bulk_create(
        Application(
            applicant=users[i],
            session=sessions[i % 200],
            status=(status := rng.choice(statuses)),
            hold_expires_at=now + timedelta(hours=24) if status == "accepted" else None,
            confirmed_at=now if status in ("confirmed", "in_progress", "completed") else None,
            submitted_at=now - timedelta(days=rng.randrange(0, 200)),
        )
        for i in range(args.applications)
    )
    Payment.objects.bulk_create(
        Payment(
            application=a,
            amount_cents=50_000,
            method="bank_transfer",
            recorded_at=now - timedelta(days=rng.randrange(0, 200)),
        )
        for a in apps
        if rng.random() < 0.7
    )
    Refund.objects.bulk_create(
        Refund(application=a, amount_cents=10_000, recorded_at=now) for a in apps[::25]
    )
    coordinator = User.objects.create(
        email="coordinator@bench.test", full_name="Bench Coordinator", role=Role.COORDINATOR
    )
    client = Client()
    client.force_login(coordinator)
    url = "/rotations/manage/reports/"
    assert client.get(url).status_code == 200  # warm-up
    times = []
    for _ in range(args.runs):
        connection.queries_log.clear()  # a full log (bulk setup) would make the count 0
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200
        count = len(queries.captured_queries)
    if os.environ.get("BENCH_SHOW_QUERIES"):
        for query in queries.captured_queries:
            print(query["time"], query["sql"][:160])
    from matchway.rotations.selectors_reports import provider_report

    start = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        cProfile.runctx("provider_report(year=today.year)", globals(), locals(), sort="cumtime")
    provider_report(year=today.year)
    selector_time = time.perf_counter() - start
    csv_start = time.perf_counter()
    b"".join(client.get(url.replace("reports/", "reports/export.csv")).streaming_content)
    csv_time = time.perf_counter() - csv_start
    print(
        f"reports page, {args.applications} applications, {Payment.objects.count()} payments, "
        f"{Refund.objects.count()} refunds ({connection.vendor}): "
        f"median {statistics.median(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms over {args.runs} runs; "
        f"{count} queries per request; report selector alone "
        f"{selector_time * 1000:.0f} ms; CSV {csv_time * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
