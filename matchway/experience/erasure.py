"""Account erasure hook: journal, evaluations and ERAS drafts go; attendance (hours) stays;
certificates keep their signed public facts (the verification page) but lose the PDF."""

from __future__ import annotations

from django.db import transaction

from matchway.accounts.models import User

from .models import Certificate, ErasExperienceDraft, Evaluation, JournalEntry


def erase(user: User) -> dict[str, int]:
    journal, _ = JournalEntry.objects.filter(application__applicant=user).delete()
    drafts, _ = ErasExperienceDraft.objects.filter(application__applicant=user).delete()
    # Addenda first: an addendum points at its original.
    evaluations = Evaluation.objects.filter(application__applicant=user)
    removed, _ = evaluations.filter(addendum_to__isnull=False).delete()
    removed += evaluations.delete()[0]
    certificates = list(Certificate.objects.filter(application__applicant=user).exclude(pdf=""))
    stored = [(c.pdf.storage, c.pdf.name) for c in certificates]
    Certificate.objects.filter(pk__in=[c.pk for c in certificates]).update(pdf="")
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in stored])
    return {"journal_rows": journal, "eras_draft_rows": drafts, "evaluation_rows": removed}
