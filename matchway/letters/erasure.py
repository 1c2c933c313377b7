"""Account erasure hook: the person's letter requests, their letters and the files."""

from __future__ import annotations

from django.db import transaction

from matchway.accounts.models import User

from .models import LetterRequest
from .selectors import letter_files_for_erasure


def erase(user: User) -> dict[str, int]:
    """Delete the requests (letters, assignments and reminders cascade); files after commit."""
    stored = letter_files_for_erasure(applicant=user)
    count, _ = LetterRequest.objects.filter(applicant=user).delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in stored])
    return {"letter_rows": count}
