from typing import Any

from django.core.management.base import BaseCommand

from matchway.reference.eras import eras_data
from matchway.reference.loader import load_all


class Command(BaseCommand):
    help = "Load specialties, states, competencies, document types and check the ERAS limits data."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_all()
        eras_data()  # fails loudly if the JSON is malformed
        summary = ", ".join(f"{n} {k}" for k, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded: {summary}."))
