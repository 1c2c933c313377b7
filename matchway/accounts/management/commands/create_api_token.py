from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matchway.accounts.models import ApiTokenScope, User
from matchway.accounts.services import api_token_create
from matchway.core import clock


class Command(BaseCommand):
    help = "Create a personal API token for a user and print it (alone) on stdout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="Command-line token")
        parser.add_argument(
            "--scope",
            choices=ApiTokenScope.values,
            default=ApiTokenScope.READ,
            help="read (GET only, the default) or write (every method).",
        )
        parser.add_argument(
            "--expires-days",
            type=int,
            default=90,
            help="Days until the token stops working (default 90); 0 means never.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"].strip()).first()
        if user is None:
            raise CommandError(f"No user with email {options['email']!r}.")
        days: int = options["expires_days"]
        if days < 0:
            raise CommandError("--expires-days must be 0 (never) or more.")
        expires_at = clock.now() + timedelta(days=days) if days else None
        raw, _token = api_token_create(
            user=user, name=options["name"], scope=options["scope"], expires_at=expires_at
        )
        self.stdout.write(raw)
