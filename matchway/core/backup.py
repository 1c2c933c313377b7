"""Backup and restore of one installation: the database and the private files, in one
tar.gz with a manifest of checksums. See docs/ops/backup.md.

What goes in: `database.sqlite3` (an online copy through SQLite's backup API, consistent
while the app runs, WAL included) or `database.pgdump` (`pg_dump --format=custom`);
`files/<root>/<relative path>` for every file under every private storage root; and
`manifest.json` (format version, versions, vendor, migration state, SHA-256 and size of
every other member).

What never goes in: the secrets (SECRET_KEY, the certificate signing key, `.env`, key
files). They are not in the database or the private roots by design, and files that look
like secrets are skipped anyway (`_is_secret_file`).

A restore verifies every checksum into a staging directory *before* it touches the
database or the roots, and refuses a target that already holds user data.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import django
from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import FileField

from . import clock

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
FILES_PREFIX = "files"
PRIVATE_ROOT_KEY = "private"
CHUNK = 1024 * 1024

# Apps whose rows a fresh installation already has: reference data (`load_reference_data`)
# and the starter guides that `migrate` creates. Rows there do not make a target "in use".
NOT_USER_DATA_APPS = frozenset({"reference", "guides"})
SECRET_FILE_NAMES = frozenset({".env", ".env.local", ".env.production"})
SECRET_SUFFIXES = (".pem", ".key")


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    vendor: str
    database_bytes: int
    files: int
    files_bytes: int
    archive_bytes: int


@dataclass(frozen=True)
class RestoreSummary:
    vendor: str
    files: int
    migrated: bool
    created_at: str


@dataclass
class _Entry:
    sha256: str
    size: int


# --- helpers --------------------------------------------------------------------------


def private_roots() -> dict[str, Path]:
    """Every private storage root, by a stable key: PRIVATE_MEDIA_ROOT as `private`, plus the
    location of any file-system storage a model's FileField uses outside it."""
    roots: dict[str, Path] = {PRIVATE_ROOT_KEY: Path(settings.PRIVATE_MEDIA_ROOT)}
    seen = {Path(settings.PRIVATE_MEDIA_ROOT).resolve()}
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if not isinstance(f, FileField):
                continue
            storage = f.storage
            if not isinstance(storage, FileSystemStorage):
                continue
            location = Path(storage.location)
            if location.resolve() in seen:
                continue
            seen.add(location.resolve())
            roots[f"{model._meta.label_lower}.{f.name}"] = location
    return roots


def _secret_paths() -> set[Path]:
    paths = {Path(settings.BASE_DIR) / ".env"}
    for name in ("CERTIFICATE_SIGNING_KEY_FILE", "CERTIFICATE_DEV_KEY_PATH"):
        value = getattr(settings, name, "")
        if value:
            paths.add(Path(value))
    return {p.resolve() for p in paths}


def _is_secret_file(path: Path, secret_paths: set[Path]) -> bool:
    return (
        path.resolve() in secret_paths
        or path.name in SECRET_FILE_NAMES
        or path.name.endswith(SECRET_SUFFIXES)
    )


def _iter_root_files(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                yield path


def _sha256_file(path: Path) -> _Entry:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return _Entry(digest.hexdigest(), size)


def _pg_env_and_args(db: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    env = os.environ.copy()
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])  # never on the command line
    args: list[str] = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    args += ["--no-password", "--dbname", str(db["NAME"])]
    return env, args


def applied_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[tuple[str, str]]:
    connection = connections[alias]
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    return list(recorder.migration_qs.order_by("id").values_list("app", "name"))


def _latest_per_app(applied: list[tuple[str, str]]) -> dict[str, str]:
    latest: dict[str, str] = {}
    for app_label, name in applied:
        latest[app_label] = name  # ordered by id: the last applied wins
    return dict(sorted(latest.items()))


def migration_plan(backup_applied: list[tuple[str, str]]) -> bool:
    """True when the code has migrations the backup lacks (run `migrate` after restoring).
    Refuses a backup that has migrations this code does not know (made by newer code)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        # A squashed migration's replaced names may be what the backup recorded.
        known.update(migration.replaces or [])
    applied = set(backup_applied)
    unknown = sorted(applied - known)
    if unknown:
        listed = ", ".join(f"{a}.{n}" for a, n in unknown[:5])
        raise BackupError(
            f"The backup was made by newer code (unknown migrations: {listed}). "
            "Install the Matchway version that made it, restore, then upgrade."
        )
    return any(leaf not in applied for leaf in loader.graph.leaf_nodes())


def user_data_tables(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Labels of Matchway models that hold rows in the target database."""
    connection = connections[alias]
    existing = set(connection.introspection.table_names())
    found = []
    for model in apps.get_models():
        meta = model._meta
        if not meta.app_config.name.startswith("matchway.") or meta.app_label in NOT_USER_DATA_APPS:
            continue
        if meta.proxy or not meta.managed or meta.db_table not in existing:
            continue
        if model._default_manager.using(alias).exists():
            found.append(meta.label)
    return found


# --- backup ---------------------------------------------------------------------------


def _dump_database(workdir: Path) -> tuple[str, Path]:
    db = settings.DATABASES[DEFAULT_DB_ALIAS]
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    if vendor == "sqlite":
        target = workdir / SQLITE_MEMBER
        # Read-only URI (percent-encoded, so odd characters in the path are safe).
        source = sqlite3.connect(Path(db["NAME"]).resolve().as_uri() + "?mode=ro", uri=True)
        dest = sqlite3.connect(target)
        try:
            with dest:
                source.backup(dest)  # online and consistent, WAL frames included
            dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dest.close()
            source.close()
        return vendor, target
    if vendor == "postgresql":
        target = workdir / PG_MEMBER
        env, args = _pg_env_and_args(db)
        result = subprocess.run(  # noqa: S603 - fixed argv, no shell
            ["pg_dump", "--format=custom", "--file", str(target), *args],  # noqa: S607
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return vendor, target
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")


class _HashingReader(io.RawIOBase):
    """Reads exactly `size` bytes from `fh` and hashes them on the way into the archive."""

    def __init__(self, fh: BinaryIO, size: int) -> None:
        self.fh, self.remaining, self.digest = fh, size, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        if n < 0 or n > self.remaining:
            n = self.remaining
        data = self.fh.read(n)
        if len(data) < n:
            raise BackupError("A private file shrank while it was being backed up; retry.")
        self.remaining -= len(data)
        self.digest.update(data)
        return data


def _add_file(tar: tarfile.TarFile, arcname: str, path: Path) -> _Entry:
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        info = tarfile.TarInfo(arcname)
        info.size, info.mode, info.mtime = size, 0o640, int(os.fstat(fh.fileno()).st_mtime)
        reader = _HashingReader(fh, size)
        tar.addfile(info, reader)  # type: ignore[arg-type]
        return _Entry(reader.digest.hexdigest(), size)


def backup_create(path: str | os.PathLike[str]) -> BackupSummary:
    """Write one archive at `path` (which must not exist). Written to a temporary file in
    the same directory and renamed into place, so a failure leaves nothing behind."""
    target = Path(path)
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name.")
    if not target.parent.is_dir():
        raise BackupError(f"The directory {target.parent} does not exist.")
    if not os.access(target.parent, os.W_OK):
        raise BackupError(f"Cannot write to {target.parent}.")
    secret_paths = _secret_paths()
    with tempfile.TemporaryDirectory(prefix="matchway-backup-") as tmp:
        vendor, dump = _dump_database(Path(tmp))
        applied = applied_migrations()
        fd, partial = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            entries: dict[str, dict[str, Any]] = {}
            files = files_bytes = 0
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                db_entry = _add_file(tar, dump.name, dump)
                entries[dump.name] = {"sha256": db_entry.sha256, "size": db_entry.size}
                for key, root in private_roots().items():
                    for file_path in _iter_root_files(root):
                        if _is_secret_file(file_path, secret_paths):
                            continue
                        rel = file_path.relative_to(root).as_posix()
                        arcname = f"{FILES_PREFIX}/{key}/{rel}"
                        entry = _add_file(tar, arcname, file_path)
                        entries[arcname] = {"sha256": entry.sha256, "size": entry.size}
                        files += 1
                        files_bytes += entry.size
                manifest = {
                    "format_version": FORMAT_VERSION,
                    "created_at": clock.now().isoformat(),
                    "matchway_version": _matchway_version(),
                    "django_version": django.get_version(),
                    "database_vendor": vendor,
                    "database_member": dump.name,
                    "private_roots": sorted(private_roots()),
                    "migrations": _latest_per_app(applied),
                    "applied_migrations": [list(m) for m in applied],
                    "files": entries,
                }
                body = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST_NAME)
                info.size, info.mode, info.mtime = len(body), 0o640, int(clock.now().timestamp())
                tar.addfile(info, io.BytesIO(body))
            os.chmod(partial, 0o600)
            if target.exists():
                raise BackupError(f"{target} appeared while the backup ran; not overwriting it.")
            os.replace(partial, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(partial)
            raise
    return BackupSummary(
        path=target,
        vendor=vendor,
        database_bytes=db_entry.size,
        files=files,
        files_bytes=files_bytes,
        archive_bytes=target.stat().st_size,
    )


def _matchway_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("matchway")
    except PackageNotFoundError:
        return "unknown"


# --- restore --------------------------------------------------------------------------


def _safe_member_name(name: str) -> PurePosixPath:
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise BackupError(f"The archive has an unsafe member name: {name!r}.")
    return pure


def _stage(archive: Path, staging: Path) -> dict[str, Any]:
    """Extract into `staging`, checking each member's SHA-256 and size against the
    manifest. Nothing outside `staging` is touched."""
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            try:
                manifest_file = tar.extractfile(MANIFEST_NAME)
            except KeyError:
                raise BackupError(
                    "The archive has no manifest.json; it is not a Matchway backup."
                ) from None
            assert manifest_file is not None  # noqa: S101 - a regular member
            manifest = json.loads(manifest_file.read())
            if manifest.get("format_version") != FORMAT_VERSION:
                raise BackupError(f"Unsupported backup format {manifest.get('format_version')!r}.")
            expected: dict[str, dict[str, Any]] = manifest["files"]
            seen: set[str] = set()
            for member in tar:
                if member.name == MANIFEST_NAME:
                    continue
                rel = _safe_member_name(member.name)
                if not member.isfile():
                    raise BackupError(f"The archive member {member.name} is not a regular file.")
                if member.name not in expected:
                    raise BackupError(f"The archive member {member.name} is not in the manifest.")
                out = staging / rel
                out.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                assert source is not None  # noqa: S101 - isfile() above
                digest, size = hashlib.sha256(), 0
                with out.open("wb") as fh:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        fh.write(chunk)
                want = expected[member.name]
                if digest.hexdigest() != want["sha256"] or size != want["size"]:
                    raise BackupError(
                        f"Checksum mismatch for {member.name}: the archive is damaged or was "
                        "altered. Nothing was restored."
                    )
                seen.add(member.name)
            missing = sorted(set(expected) - seen)
            if missing:
                raise BackupError(f"The archive lacks {len(missing)} file(s), e.g. {missing[0]}.")
    except (tarfile.TarError, EOFError, OSError, json.JSONDecodeError) as exc:
        raise BackupError(
            f"The archive cannot be read ({exc}); it is damaged or not a backup."
        ) from exc
    return manifest


def _check_target_empty(roots: dict[str, Path]) -> None:
    tables = user_data_tables()
    if tables:
        raise BackupError(
            "The target database already holds data (" + ", ".join(tables[:5]) + "). "
            "Restore only into an empty installation."
        )
    for key, root in roots.items():
        if next(_iter_root_files(root), None) is not None:
            raise BackupError(f"The private files root {root} ({key}) is not empty.")


def _restore_sqlite(staged_db: Path) -> None:
    name = Path(settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"])
    connections.close_all()
    name.parent.mkdir(parents=True, exist_ok=True)
    guard = None
    if name.exists():
        # Take the file exclusively: fails at once if any other process has it open in WAL
        # mode (those hold a shared lock), so a running app is never swapped under.
        guard = sqlite3.connect(name, timeout=0, isolation_level=None)
        try:
            guard.execute("PRAGMA locking_mode=EXCLUSIVE")
            guard.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError as exc:
            guard.close()
            raise BackupError(
                f"The database {name} is in use ({exc}); stop the app and workers first."
            ) from exc
    try:
        fd, partial = tempfile.mkstemp(prefix=f".{name.name}.restore.", dir=name.parent)
        os.close(fd)
        try:
            shutil.copyfile(staged_db, partial)
            os.chmod(partial, 0o640)
            check = sqlite3.connect(partial)
            try:
                if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise BackupError("The backed-up database fails SQLite's integrity check.")
            finally:
                check.close()
            for suffix in ("-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{name}{suffix}")
            os.replace(partial, name)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(partial)
            raise
    finally:
        if guard is not None:
            guard.close()


def _restore_postgresql(staged_dump: Path) -> None:
    db = settings.DATABASES[DEFAULT_DB_ALIAS]
    connections.close_all()
    env, args = _pg_env_and_args(db)
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [  # noqa: S607
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            *args,
            str(staged_dump),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def _restore_files(staging: Path, roots: dict[str, Path]) -> int:
    count = 0
    base = staging / FILES_PREFIX
    if not base.is_dir():
        return 0
    for key_dir in sorted(base.iterdir()):
        root = roots[key_dir.name]
        for staged in _iter_root_files(key_dir):
            dest = root / staged.relative_to(key_dir)
            dest.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
            partial = dest.with_name(f".{dest.name}.restore")
            shutil.copyfile(staged, partial)
            os.chmod(partial, 0o640)
            os.replace(partial, dest)
            count += 1
    return count


def backup_restore(path: str | os.PathLike[str]) -> RestoreSummary:
    """Restore an archive into this (empty) installation. Every checksum is verified
    before anything is changed; then the database, then the private files, then `migrate`
    when the backup is older than the code."""
    archive = Path(path)
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist or is not a file.")
    roots = private_roots()
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    with tempfile.TemporaryDirectory(prefix="matchway-restore-") as tmp:
        staging = Path(tmp)
        manifest = _stage(archive, staging)
        if manifest["database_vendor"] != vendor:
            raise BackupError(
                f"The backup is of a {manifest['database_vendor']} database; this installation "
                f"uses {vendor}."
            )
        unknown_roots = sorted(set(manifest.get("private_roots", [])) - set(roots))
        if unknown_roots:
            raise BackupError(f"This installation has no private root for {unknown_roots}.")
        needs_migrate = migration_plan([(a, n) for a, n in manifest["applied_migrations"]])
        _check_target_empty(roots)
        staged_db = staging / manifest["database_member"]
        if vendor == "sqlite":
            _restore_sqlite(staged_db)
        else:
            _restore_postgresql(staged_db)
        files = _restore_files(staging, roots)
    if needs_migrate:
        call_command("migrate", interactive=False, verbosity=0)
    return RestoreSummary(
        vendor=vendor, files=files, migrated=needs_migrate, created_at=manifest["created_at"]
    )
