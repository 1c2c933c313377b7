"""`manage.py backup <path>`: one archive with the database, the private files and a
manifest of checksums; never the secrets. See docs/ops/backup.md."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matchway.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Write a backup archive (database + private files + manifest) to a new file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Where to write the .tar.gz; must not exist yet.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_create(options["path"])
        except (BackupError, OSError) as exc:
            raise CommandError(f"Backup failed: {exc}") from exc
        self.stdout.write(str(summary.path))
        self.stdout.write(
            f"{summary.vendor} database ({summary.database_bytes} bytes), "
            f"{summary.files} private file(s) ({summary.files_bytes} bytes); "
            f"archive {summary.archive_bytes} bytes. Secrets are not included."
        )
