from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matchway.accounts.models import User
from matchway.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create a personal API token for a user and print it (alone) on stdout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="Command-line token")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"].strip()).first()
        if user is None:
            raise CommandError(f"No user with email {options['email']!r}.")
        raw, _token = api_token_create(user=user, name=options["name"])
        self.stdout.write(raw)
