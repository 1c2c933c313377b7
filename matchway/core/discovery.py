"""Find per-app hooks: `<app>/periodic.py` (JOBS) and `<app>/demo.py` (seed)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

from django.apps import apps


def app_modules(submodule: str) -> Iterator[ModuleType]:
    for config in apps.get_app_configs():
        if not config.name.startswith("matchway."):
            continue
        try:
            yield importlib.import_module(f"{config.name}.{submodule}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{submodule}":
                raise


def periodic_jobs() -> list[tuple[str, Callable[[], Any]]]:
    jobs: list[tuple[str, Callable[[], Any]]] = []
    for module in app_modules("periodic"):
        for job in getattr(module, "JOBS", []):
            jobs.append((f"{module.__name__.split('.')[1]}.{job.__name__}", job))
    return jobs
