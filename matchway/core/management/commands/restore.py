"""`manage.py restore <path>`: restore a backup into an empty installation, checksums
first. See docs/ops/backup.md."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matchway.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup archive into an empty installation (database + private files)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The .tar.gz written by `manage.py backup`.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_restore(options["path"])
        except (BackupError, OSError) as exc:
            raise CommandError(f"Restore failed: {exc}") from exc
        self.stdout.write(
            f"Restored the {summary.vendor} database and {summary.files} private file(s) "
            f"from the backup made at {summary.created_at}"
            + ("; migrations applied." if summary.migrated else ".")
        )
        self.stdout.write("Set SECRET_KEY and the certificate signing key before starting.")
