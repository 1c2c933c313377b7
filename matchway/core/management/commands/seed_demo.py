"""Idempotent demo data. Each app may add a `demo.py` with `seed(context)` (found by
`core.discovery`); they run in INSTALLED_APPS order and share a `context` dict (e.g. the
demo users)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from matchway.core.discovery import demo_seeders


class Command(BaseCommand):
    help = "Create demo people and data (DEBUG only). Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: it creates known passwords."
            )
        call_command("load_reference_data", stdout=self.stdout)
        context: dict[str, Any] = {
            "password": settings.MATCHWAY_DEMO_PASSWORD,
            "stdout": self.stdout,
        }
        # Demo bookings send real notifications; keep them out of the console so the
        # logins printed below stay readable (they go to an in-memory outbox instead).
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for seed in demo_seeders():
                seed(context)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in with:"))
        for role in ("applicant", "preceptor", "coordinator"):
            self.stdout.write(f"  {role:<12} {role}@example.com / {context['password']}")
