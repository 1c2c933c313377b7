"""Fingerprints of a whole installation, for backup round-trip tests: every table (row
count + a hash of the rows ordered by primary key) and every private file (bytes).

Runs in the test process for the source and, through `python -c`, in a subprocess
attached to the restored target (`fingerprint_json`)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings


def table_fingerprints() -> dict[str, list[Any]]:
    result: dict[str, list[Any]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        columns = [f.attname for f in meta.concrete_fields]
        rows = list(model._base_manager.order_by("pk").values_list(*columns))
        digest = hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()
        result[meta.db_table] = [len(rows), digest]
    return result


def file_fingerprints(root: Path | None = None) -> dict[str, str]:
    base = Path(root or settings.PRIVATE_MEDIA_ROOT)
    return {
        p.relative_to(base).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(base.rglob("*"))
        if p.is_file()
    }


def fingerprint_json() -> str:
    return json.dumps({"tables": table_fingerprints(), "files": file_fingerprints()})
