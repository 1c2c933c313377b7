"""Notifications periodic jobs (run_periodic): the daily digest (safe every 5 minutes)."""

from __future__ import annotations

from .digest import digests_send

JOBS = [digests_send]
