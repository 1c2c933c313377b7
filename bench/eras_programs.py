"""Benchmark: the applicant's ERAS program list (/eras/programs/) with many targets.

Builds a throwaway SQLite database (or DATABASE_URL if set), loads reference data, one
applicant with N programs (3 requirements each, fit computed for every one) plus a certified
rotation, then requests the list page (first page, and a filter that must compute the fit of
every target) in-process with the Django test client, printing the median time and the SQL
query count for 3 targets and for N, so a growing count shows at once.

Run from the repository root:

    .venv/bin/python bench/eras_programs.py [--targets 300] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from matchway.reference.loader import load_all

    load_all()


def _seed(n: int, offset: int, applicant: object) -> None:
    from matchway.eras.models import Program, ProgramRequirement, ProgramTarget
    from matchway.eras.services.programs import current_season

    programs = Program.objects.bulk_create(
        Program(
            owner=applicant,
            acgme_id=f"14{offset + i:08d}",
            name=f"Bench program {offset + i:04d}",
            specialty_id="140" if i % 2 else "120",
            state=("NY", "CA", "TX", "OH")[i % 4],
        )
        for i in range(n)
    )
    ProgramRequirement.objects.bulk_create(
        ProgramRequirement(program=p, kind=kind, value=value, strictness="strict")
        for p in programs
        for kind, value in (("step2_min", "230"), ("visas", "j1"), ("usce_months", "3"))
    )
    ProgramTarget.objects.bulk_create(
        ProgramTarget(applicant=applicant, program=p, season=current_season()) for p in programs
    )


def _measure(client: object, url: str, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)  # type: ignore[attr-defined]
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        queries = len(ctx)
    return statistics.median(times) * 1000, queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--targets", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _setup(Path(tmp))
        from django.test import Client

        from matchway.accounts.tests.factories import UserFactory

        applicant = UserFactory(role="applicant", email="bench-eras@example.com")
        client = Client()
        client.force_login(applicant)
        print(f"{'targets':>8} {'page':<28} {'median ms':>10} {'queries':>8}")
        _seed(3, 0, applicant)
        done = 3
        for total in (3, args.targets):
            if total > done:
                _seed(total - done, done, applicant)
                done = total
            for label, url in (
                ("/eras/programs/", "/eras/programs/"),
                ("/eras/programs/?fit=not_met", "/eras/programs/?fit=not_met"),
            ):
                ms, queries = _measure(client, url, args.repeat)
                print(f"{total:>8} {label:<28} {ms:>10.1f} {queries:>8}")


if __name__ == "__main__":
    main()
