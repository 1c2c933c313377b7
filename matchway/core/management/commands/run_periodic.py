"""Run every app's periodic jobs (expire holds, promote waitlists, reminders, expiries).

Each job is idempotent through compare-and-set, so overlapping runs are safe. Call it from
cron/systemd every minute, or keep it running with --loop.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from matchway.core.discovery import periodic_jobs


class Command(BaseCommand):
    help = "Run periodic jobs once, or forever with --loop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep running.")
        parser.add_argument("--interval", type=int, default=settings.PERIODIC_INTERVAL_SECONDS)

    def run_once(self) -> None:
        for name, job in periodic_jobs():
            try:
                result = job()
            except Exception:  # one failing job must not stop the others
                self.stderr.write(f"{name}: failed")
                import logging

                logging.getLogger("matchway.periodic").exception("periodic job %s failed", name)
                continue
            self.stdout.write(f"{name}: {result}")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["loop"]:
            self.run_once()
            return
        while True:  # pragma: no cover - exercised manually
            close_old_connections()
            self.run_once()
            time.sleep(options["interval"])
