"""Benchmark: POST /api/v1/phi-check end to end (middleware, auth, detector, JSON).

Run from the repository root:  .venv/bin/python bench/phi_api.py [--runs N] [--chars N]
Uses the test settings on a throwaway SQLite file (one signed-in user, session auth).
Target: median under 50 ms for a 3,000-character journal entry, under 250 ms at 28,000.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LINES = (
    "Pre-rounded on the new heart failure admission, day 2; weight down 1.2 kg, BP 118/76.",
    "Mr. John Smith (MRN 12345678) was admitted on 03/02/2026 with chest pain.",
    "Pending: echo read, cardiology consult, morning BMP. Call back 312-555-0199 if K < 3.5.",
    "Reflection: the family meeting went better because the nurse explained the plan first.",
    "Case log: adult, inpatient, infectious; day 3 of antibiotics, cultures negative so far.",
    "Emailed jane.doe@example.com the teaching file; she lives at 42 Oak Street, Springfield.",
)


def build_text(chars: int) -> str:
    out: list[str] = []
    i = 0
    while sum(len(x) + 1 for x in out) < chars:
        out.append(LINES[i % len(LINES)])
        i += 1
    return " ".join(out)[:chars]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--chars", type=int, nargs="*", default=[3_000, 28_000])
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="phi-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from matchway.accounts.models import User

    call_command("migrate", verbosity=0)
    user = User.objects.create_user(email="bench@example.com", full_name="Bench", role="applicant")
    client = Client()
    client.force_login(user)

    for chars in args.chars:
        text = build_text(chars)
        body = json.dumps({"text": text})
        client.post("/api/v1/phi-check", body, content_type="application/json")  # warm-up
        timings = []
        findings = 0
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.post("/api/v1/phi-check", body, content_type="application/json")
            timings.append(time.perf_counter() - start)
            assert response.status_code == 200, response.content
            findings = len(response.json()["findings"])
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(
            f"{chars:>6} chars  {findings:>4} findings  "
            f"median {statistics.median(timings) * 1000:6.1f} ms  "
            f"p95 {p95 * 1000:6.1f} ms  max {timings[-1] * 1000:6.1f} ms  ({args.runs} runs)"
        )


if __name__ == "__main__":
    main()
