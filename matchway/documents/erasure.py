"""Account erasure hook: the person's documents, files and rows."""

from __future__ import annotations

from django.db import transaction

from matchway.accounts.models import User

from .models import Document


def erase(user: User) -> dict[str, int]:
    """Delete every document row; the files go once the transaction commits (a rollback
    must not leave rows pointing at deleted files)."""
    documents = list(Document.objects.filter(owner=user))
    stored = [(d.file.storage, d.file.name) for d in documents if d.file]
    Document.objects.filter(pk__in=[d.pk for d in documents]).delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in stored])
    return {"documents": len(documents)}
