"""manage.py backup / restore (docs/ops/backup.md): a full round trip into a fresh
installation (SQLite here, PostgreSQL with the pg_only mark), no secrets in the archive,
and a tampered archive is refused before anything changes."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.management import CommandError, call_command

from matchway.accounts.models import User
from matchway.accounts.tests.factories import UserFactory
from matchway.core.backup import (
    PG_MEMBER,
    SQLITE_MEMBER,
    BackupError,
    applied_migrations,
    backup_restore,
    migration_plan,
)
from tests.backup_helpers import file_fingerprints, table_fingerprints

REPO = Path(__file__).resolve().parent.parent


def _run(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DATABASE_URL"))}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.dev", "DEBUG": "false"})
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )


def _target_fingerprints(env: dict[str, str]) -> dict[str, Any]:
    code = (
        "import django; django.setup(); "
        "from tests.backup_helpers import fingerprint_json; print(fingerprint_json())"
    )
    result = _run(env, "-c", code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def signing_pem(settings: Any) -> bytes:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    settings.CERTIFICATE_SIGNING_KEY = pem.decode()
    return pem


@pytest.fixture
def populated(transactional_db: None, settings: Any, signing_pem: bytes) -> dict[str, Any]:
    """The demo installation (every app's demo rows, documents, letters, certificates), plus
    secret-looking files planted in the private root that must stay out of the archive."""
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    (root / "keys").mkdir()
    (root / "keys" / "signing.pem").write_bytes(signing_pem)
    settings.CERTIFICATE_SIGNING_KEY_FILE = str(root / "keys" / "signing.pem")
    (root / ".env").write_text(f"SECRET_KEY={settings.SECRET_KEY}\n")
    return {"pem": signing_pem}


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}  # type: ignore[union-attr]


def _assert_no_secrets(archive: Path, pem: bytes) -> None:
    key = serialization.load_pem_private_key(pem, password=None)
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    pem_body = b"".join(pem.splitlines()[1:-1])
    blobs = [*_members(archive).values(), gzip.decompress(archive.read_bytes())]
    for blob in blobs:
        assert settings.SECRET_KEY.encode() not in blob
        assert raw not in blob
        assert pem_body not in blob
        assert b"PRIVATE KEY" not in blob


def _file_fingerprints_without_secrets() -> dict[str, str]:
    files = file_fingerprints()
    return {k: v for k, v in files.items() if k not in {".env", "keys/signing.pem"}}


@pytest.mark.sqlite_only(
    reason="an SQLite archive of the SQLite test database (PostgreSQL has its own round trip)"
)
def test_sqlite_round_trip_restores_every_table_and_file(populated, tmp_path):
    archive = tmp_path / "matchway.tar.gz"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert str(archive) in out.getvalue()
    assert "private file(s)" in out.getvalue()

    manifest = json.loads(_members(archive)["manifest.json"])
    assert manifest["database_vendor"] == "sqlite"
    assert manifest["format_version"] == 1
    latest: dict[str, str] = {}
    for app_label, name in applied_migrations():
        latest[app_label] = name
    assert manifest["migrations"] == latest
    assert manifest["django_version"]
    assert manifest["created_at"]
    assert set(manifest["files"]) == set(_members(archive)) - {"manifest.json"}
    assert SQLITE_MEMBER in manifest["files"]
    _assert_no_secrets(archive, populated["pem"])

    source_tables = table_fingerprints()
    source_files = _file_fingerprints_without_secrets()
    assert source_tables["accounts_user"][0] > 0
    assert any(name.startswith("documents/") for name in source_files)
    assert any(name.startswith("letters/") for name in source_files)
    assert any(name.startswith("certificates/") for name in source_files)

    target_env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'target' / 'db.sqlite3'}",
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "target-private"),
    }
    restored = _run(target_env, "manage.py", "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "Restored the sqlite database" in restored.stdout

    target = _target_fingerprints(target_env)
    assert target["tables"] == source_tables
    assert target["files"] == source_files

    again = _run(target_env, "manage.py", "restore", str(archive))
    assert again.returncode != 0
    assert "already holds data" in again.stderr


def _tamper(archive: Path, member: str, out: Path) -> None:
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        for info in src:
            data = src.extractfile(info).read()  # type: ignore[union-attr]
            if info.name == member:
                flipped = bytearray(data)
                flipped[len(flipped) // 2] ^= 0x01
                data = bytes(flipped)
            dst.addfile(info, io.BytesIO(data))


@pytest.mark.sqlite_only(
    reason="tampers with the archive's SQLite member and restores into an SQLite target"
)
@pytest.mark.django_db(transaction=True)
def test_tampered_database_member_is_refused_and_nothing_changes(tmp_path, settings):
    UserFactory(email="alice@example.com")
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    (root / "documents").mkdir(parents=True)
    (root / "documents" / "a").write_bytes(b"alice's document")
    archive, tampered = tmp_path / "b.tar.gz", tmp_path / "tampered.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    _tamper(archive, SQLITE_MEMBER, tampered)

    # Into a fresh installation: refused, no database file created, no file written.
    target_db = tmp_path / "target" / "db.sqlite3"
    target_env = {
        "DATABASE_URL": f"sqlite:///{target_db}",
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "target-private"),
    }
    result = _run(target_env, "manage.py", "restore", str(tampered))
    assert result.returncode != 0
    assert f"Checksum mismatch for {SQLITE_MEMBER}" in result.stderr
    assert not target_db.exists() or target_db.stat().st_size == 0
    assert not any(p.is_file() for p in (tmp_path / "target-private").rglob("*"))

    # Into this installation: the checksum error comes first and nothing is touched.
    before = (table_fingerprints(), file_fingerprints())
    with pytest.raises(BackupError, match="Checksum mismatch"):
        backup_restore(tampered)
    assert (table_fingerprints(), file_fingerprints()) == before


@pytest.mark.sqlite_only(reason="SQLite's file lock on the restore target")
@pytest.mark.django_db(transaction=True)
def test_sqlite_restore_refuses_a_target_database_in_use(tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    target_db = tmp_path / "target.sqlite3"
    running_app = sqlite3.connect(target_db)  # another process would hold the same lock
    try:
        running_app.execute("PRAGMA journal_mode=WAL")
        running_app.execute("CREATE TABLE unrelated (a)")
        running_app.commit()
        result = _run(
            {
                "DATABASE_URL": f"sqlite:///{target_db}",
                "PRIVATE_MEDIA_ROOT": str(tmp_path / "target-private"),
            },
            "manage.py",
            "restore",
            str(archive),
        )
        assert result.returncode != 0
        assert "is in use" in result.stderr
        assert running_app.execute("SELECT name FROM sqlite_master").fetchall() == [("unrelated",)]
    finally:
        running_app.close()


@pytest.mark.sqlite_only(reason="edits the archive's SQLite member to fake an older backup")
@pytest.mark.django_db(transaction=True)
def test_restore_of_an_older_backup_migrates_forward(tmp_path):
    archive, older = tmp_path / "b.tar.gz", tmp_path / "older.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    # Make the backup look as if it was taken before guides.0002 (an idempotent data
    # migration and a leaf): drop its record and re-sign the manifest's checksums.
    members = _members(archive)
    db_file = tmp_path / "old.sqlite3"
    db_file.write_bytes(members[SQLITE_MEMBER])
    with contextlib.closing(sqlite3.connect(db_file)) as conn, conn:
        conn.execute(
            "DELETE FROM django_migrations WHERE app = 'guides' AND name = '0002_seed_articles'"
        )
    members[SQLITE_MEMBER] = db_file.read_bytes()
    manifest = json.loads(members["manifest.json"])
    manifest["applied_migrations"].remove(["guides", "0002_seed_articles"])
    manifest["files"][SQLITE_MEMBER] = {
        "sha256": hashlib.sha256(members[SQLITE_MEMBER]).hexdigest(),
        "size": len(members[SQLITE_MEMBER]),
    }
    members["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(older, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))

    target_db = tmp_path / "target.sqlite3"
    result = _run(
        {
            "DATABASE_URL": f"sqlite:///{target_db}",
            "PRIVATE_MEDIA_ROOT": str(tmp_path / "target-private"),
        },
        "manage.py",
        "restore",
        str(older),
    )
    assert result.returncode == 0, result.stderr
    assert "migrations applied" in result.stdout
    with contextlib.closing(sqlite3.connect(target_db)) as conn:
        recorded = conn.execute(
            "SELECT count(*) FROM django_migrations WHERE app = 'guides' AND name = ?",
            ("0002_seed_articles",),
        ).fetchone()
    assert recorded == (1,)


@pytest.mark.django_db
def test_backup_refuses_an_existing_path_and_a_missing_directory(tmp_path):
    existing = tmp_path / "exists.tar.gz"
    existing.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(existing), stdout=io.StringIO())
    assert existing.read_bytes() == b"keep me"
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", str(tmp_path / "nope" / "b.tar.gz"), stdout=io.StringIO())
    assert list(tmp_path.iterdir()) == [existing]


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_user_data(tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    UserFactory(email="bob@example.com")
    with pytest.raises(CommandError, match=r"already holds data \(.*accounts\.User"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert User.objects.filter(email="bob@example.com").exists()


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tarball")
    with pytest.raises(CommandError, match="damaged or not a backup"):
        call_command("restore", str(junk), stdout=io.StringIO())


@pytest.mark.django_db
def test_migration_plan_migrates_older_backups_and_refuses_newer_ones():
    applied = applied_migrations()
    assert migration_plan(applied) is False
    assert migration_plan(applied[:-1]) is True
    with pytest.raises(BackupError, match="newer code"):
        migration_plan([*applied, ("accounts", "9999_from_the_future")])


@pytest.mark.pg_only
def test_postgresql_round_trip_restores_every_table_and_file(populated, tmp_path):
    import psycopg

    archive = tmp_path / "matchway.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    manifest = json.loads(_members(archive)["manifest.json"])
    assert manifest["database_vendor"] == "postgresql"
    assert PG_MEMBER in manifest["files"]
    _assert_no_secrets(archive, populated["pem"])
    source_tables = table_fingerprints()
    source_files = _file_fingerprints_without_secrets()

    db = settings.DATABASES["default"]
    name = f"h_backup_restore_{uuid.uuid4().hex[:12]}"
    admin = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"]}
    admin_url = f"postgres://{db['USER']}@{db['HOST']}:{admin['port']}"
    with psycopg.connect(**admin, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        target_env = {
            "DATABASE_URL": f"{admin_url}/{name}",
            "PRIVATE_MEDIA_ROOT": str(tmp_path / "target-private"),
        }
        restored = _run(target_env, "manage.py", "restore", str(archive))
        assert restored.returncode == 0, restored.stderr
        target = _target_fingerprints(target_env)
        assert target["tables"] == source_tables
        assert target["files"] == source_files
    finally:
        with psycopg.connect(**admin, dbname="postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
