"""Demo season for the demo applicant: programs and targets first, then interviews and the
rank list on those targets."""

from __future__ import annotations

from typing import Any

from . import demo_programs, demo_season


def seed(context: dict[str, Any]) -> None:
    demo_programs.seed(context)
    demo_season.seed(context)
