"""Documents' share of `load_reference_data` (discovered by `core.discovery`)."""

from __future__ import annotations

from pathlib import Path

from .loader import load_document_types


def load(data_dir: Path) -> dict[str, int]:
    return {"document types": load_document_types(data_dir / "document_types.csv")}
