"""The personal-data export: one ZIP of everything Matchway holds about a person.

Every app contributes its areas through its `export.py` (found by `core.discovery`), so this
module knows no app but its own. Bounded: the archive is built in a spooled temporary file
(memory up to 8 MB, disk beyond), and files are copied in chunks.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, HttpRequest

from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.discovery import export_hooks
from matchway.core.privacy import ExportFile

from ..models import User

EXPORT_FORMAT = "matchway-personal-data"
EXPORT_VERSION = 1
_SPOOL_BYTES = 8 * 1024 * 1024
_CHUNK = 64 * 1024


def _json(data: Any) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def account_export_collect(user: User) -> tuple[dict[str, Any], list[ExportFile]]:
    """Every app's areas and files for `user`. An area two apps claim is a bug: raised."""
    areas: dict[str, Any] = {}
    files: list[ExportFile] = []
    for module in export_hooks():
        for area, data in module.export(user).items():
            if area in areas:
                raise RuntimeError(f"two export hooks claim the area {area!r}")
            areas[area] = data
        collect_files = getattr(module, "files", None)
        if collect_files is not None:
            files.extend(collect_files(user))
    return areas, files


def account_export_write(user: User, out: IO[bytes]) -> dict[str, Any]:
    """Write the export ZIP for `user` to `out`; returns the manifest.

    Reads only; no transaction needed. A file missing from storage is listed in the manifest
    under `missing_files` rather than failing the whole export.
    """
    areas, files = account_export_collect(user)
    written: list[str] = []
    missing: list[str] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for area, data in areas.items():
            archive.writestr(f"{area}.json", _json(data))
        for arcname, storage, name in files:
            try:
                source = storage.open(name, "rb")
            except FileNotFoundError:
                missing.append(arcname)
                continue
            with source, archive.open(arcname, "w") as target:
                while chunk := source.read(_CHUNK):
                    target.write(chunk)
            written.append(arcname)
        manifest = {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "generated_at": clock.now(),
            "user_id": user.pk,
            "areas": {area: f"{area}.json" for area in areas},
            "files": written,
            "missing_files": missing,
        }
        archive.writestr("manifest.json", _json(manifest))
    return manifest


def account_export_response(request: HttpRequest, *, user: User) -> FileResponse:
    """The export as an attachment download, audited as `privacy.export`."""
    out = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115 - FileResponse closes it
    manifest = account_export_write(user, out)
    out.seek(0)
    audit_record(
        actor=user,
        action="privacy.export",
        target=user,
        data={"areas": sorted(manifest["areas"]), "files": len(manifest["files"])},
        request=request,
    )
    filename = f"matchway-export-{clock.viewer_today().isoformat()}.zip"
    response = FileResponse(
        out, as_attachment=True, filename=filename, content_type="application/zip"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
