from __future__ import annotations

import csv
from pathlib import Path

from .models import DocumentType

MB = 1024 * 1024


def load_document_types(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        valid_for = row.get("valid_for_days", "").strip()
        DocumentType.objects.update_or_create(
            code=row["code"].strip(),
            defaults={
                "name": row["name"].strip(),
                "allowed_content_types": [
                    c.strip() for c in row["allowed_content_types"].split("|") if c.strip()
                ],
                "max_size_bytes": int(float(row["max_size_mb"]) * MB),
                "expires": row.get("expires", "").strip().lower() == "yes",
                "valid_for_days": int(valid_for) if valid_for else None,
                "is_identity": row.get("identity", "").strip().lower() == "yes",
                "notes": row.get("notes", "").strip(),
            },
        )
    return len(rows)
