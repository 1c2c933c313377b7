"""`manage.py load_guides`: create or update guides from matchway/guides/content/*.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matchway.guides.loader import ContentError
from matchway.guides.services import articles_sync_from_files


class Command(BaseCommand):
    help = (
        "Sync the bundled guides from their Markdown files: create missing ones and update "
        "changed ones. Articles edited in the app since the last sync are skipped unless "
        "--force. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--directory", type=Path, help="Read this folder instead.")
        parser.add_argument(
            "--force", action="store_true", help="Overwrite articles edited in the app too."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = articles_sync_from_files(
                directory=options["directory"],
                force=options["force"],
                dry_run=options["dry_run"],
            )
        except ContentError as exc:
            raise CommandError(str(exc)) from exc
        prefix = "[dry run] " if options["dry_run"] else ""
        for label, slugs in (
            ("created", result.created),
            ("updated", result.updated),
            ("skipped (edited in the app; use --force)", result.skipped),
        ):
            for slug in slugs:
                self.stdout.write(f"{prefix}{label}: {slug}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}Guides: {len(result.created)} created, {len(result.updated)} updated, "
                f"{len(result.unchanged)} unchanged, {len(result.skipped)} skipped."
            )
        )
