"""The one small registry: per-app hooks found by module name, like Django's `admin.py`.

Each app registers its own

- dashboard panels — `dashboard.py`: `panels(request)`, `home_panels(request)`, and the
  to-do items `todos(request)` (see `dashboard_todos`);
- periodic jobs — `periodic.py`: `JOBS`;
- demo data — `demo.py`: `seed(context)`;
- API router — `api.py`: `router`;
- reference data — `reference_data.py`: `load(data_dir)` → `{label: rows}`;
- personal-data export — `export.py`: `export(user)` → `{area: data}`, optional `files(user)`;
- account erasure — `erasure.py`: `erase(user)` → `{what: count}` (docs/dev/privacy.md);
- email routing — `outbox.py`: `route(message)` → list of `EmailDelivery` or None (who
  gets the email now, with which extra context and headers; docs/dev/email.md);
- calendar feed events — `calendar_events.py`: `events(user)` → list of dicts with the
  fields of a timed calendar entry (`uid`, `summary`, `starts_at`, `duration`, `first_day`,
  `last_day`, `stamp`, `location`, `description`, `url`, `status`), added to the private
  calendar feed (docs/dev/eras-season.md);
- document retention — `retention.py`: `documents_needed(owner_ids)` → `{owner id: date or
  None}` (docs/dev/privacy.md, "Retention");

and is discovered here, in INSTALLED_APPS order, so apps never import each other for this.
A missing hook module is simply skipped; an import error *inside* one is raised.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from django.apps import apps
from django.http import HttpRequest


def app_modules(submodule: str, *, exclude: Collection[str] = ()) -> Iterator[ModuleType]:
    """`<app>.<submodule>` for every Matchway app that has one, in INSTALLED_APPS order
    (apps whose label is in `exclude` are not looked at)."""
    for config in apps.get_app_configs():
        if not config.name.startswith("matchway.") or config.label in exclude:
            continue
        try:
            yield importlib.import_module(f"{config.name}.{submodule}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{submodule}":
                raise


def _collect_panels(request: HttpRequest, hook: str) -> list[dict[str, Any]]:
    panels: list[dict[str, Any]] = []
    for module in app_modules("dashboard"):
        fn = getattr(module, hook, None)
        if fn is not None:
            panels.extend(fn(request))
    return panels


def dashboard_panels(request: HttpRequest) -> list[dict[str, Any]]:
    """Every app's `dashboard.panels(request)`, sorted by each panel's `order` (default 100)."""
    panels = _collect_panels(request, "panels")
    panels.sort(key=lambda p: p.get("order", 100))
    return panels


# The keys of one to-do item (`dashboard.todos(request)` returns a list of these dicts):
#   due_at        aware datetime or None (no deadline: listed after every dated item)
#   title         what to do, short ("Upload your passport")
#   detail        one line of context ("Cardiology · Boston, seat held until …")
#   action_url    where the one button goes
#   action_label  the button's words ("Upload documents")
#   kind          a short code for tests and styling ("hold", "deposit", "document", …)
#   action_method optional, "post" when the button must submit a form (default "get")
TODO_KEYS = ("due_at", "title", "detail", "action_url", "action_label", "kind")


def dashboard_todos(request: HttpRequest) -> list[dict[str, Any]]:
    """Every app's `dashboard.todos(request)`, soonest deadline first; undated items last
    (in the order the apps gave them, INSTALLED_APPS first)."""
    todos: list[dict[str, Any]] = []
    for module in app_modules("dashboard"):
        fn = getattr(module, "todos", None)
        if fn is not None:
            todos.extend(fn(request))
    dated = sorted((t for t in todos if t["due_at"] is not None), key=lambda t: t["due_at"])
    undated = [t for t in todos if t["due_at"] is None]
    return dated + undated


def home_panels(request: HttpRequest) -> list[dict[str, Any]]:
    """Every app's `dashboard.home_panels(request)`, in INSTALLED_APPS order."""
    return _collect_panels(request, "home_panels")


def periodic_jobs() -> list[tuple[str, Callable[[], Any]]]:
    """(`<app>.<job name>`, job) for every app's `periodic.JOBS`."""
    jobs: list[tuple[str, Callable[[], Any]]] = []
    for module in app_modules("periodic"):
        for job in getattr(module, "JOBS", []):
            jobs.append((f"{module.__name__.split('.')[1]}.{job.__name__}", job))
    return jobs


def demo_seeders() -> list[Callable[[dict[str, Any]], Any]]:
    """Every app's `demo.seed(context)`."""
    return [module.seed for module in app_modules("demo")]


def api_routers() -> list[Any]:
    """Every app's `api.router` (a ninja Router); `matchway.api.api` is the assembler itself."""
    return [module.router for module in app_modules("api", exclude={"api"})]


def reference_data_loaders() -> list[Callable[[Path], dict[str, int]]]:
    """Every app's `reference_data.load(data_dir)`."""
    return [module.load for module in app_modules("reference_data")]


def export_hooks() -> list[ModuleType]:
    """Every app's `export.py` (`export(user)`, optional `files(user)`), for the privacy export."""
    return list(app_modules("export"))


def erasure_hooks() -> list[ModuleType]:
    """Every app's `erasure.py` (`erase(user)`), in reverse INSTALLED_APPS order: apps that
    depend on others erase first; `core` (audit pseudonyms) and `accounts` come last."""
    return list(reversed(list(app_modules("erasure"))))


def retention_hooks() -> list[Callable[[Collection[int]], dict[int, Any]]]:
    """Every app's `retention.documents_needed(owner_ids)`: for the owners that app knows
    about, None ("needed now or for something coming up: keep") or the last date it needed
    their identity documents. The documents app combines them (docs/dev/privacy.md)."""
    return [module.documents_needed for module in app_modules("retention")]


def email_routers() -> list[Callable[..., Any]]:
    """Every app's `outbox.route(message)`: given one rendered `core.email.EmailMessageDraft`,
    return the deliveries to store now (a list of `EmailDelivery`), or None to leave the
    email alone. The first router that answers decides (notifications is the only one)."""
    return [module.route for module in app_modules("outbox")]


def calendar_events(user: Any, *, exclude: Collection[str] = ()) -> list[dict[str, Any]]:
    """Every app's `calendar_events.events(user)`, in INSTALLED_APPS order (the app serving
    the feed passes its own label in `exclude`)."""
    found: list[dict[str, Any]] = []
    for module in app_modules("calendar_events", exclude=exclude):
        found.extend(module.events(user))
    return found
