"""Clear autosaved drafts that hold text with open PHI findings.

Until now autosave stored whatever was typed in `draft_data`; from now on the server never
stores text with open findings (docs/dev/phi-guard.md). Drafts written before are dropped
here (the checked `data` is untouched). Reversing is a no-op: the text is gone on purpose.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

from matchway.phi import find_phi


def _dismissed(entry: Any, kind: str, text: str) -> bool:
    return any(
        d.get("kind") == kind and d.get("text") == text for d in entry.phi_dismissed or []
    )


def clear_drafts_with_phi(apps: Any, schema_editor: Any) -> None:
    JournalEntry = apps.get_model("experience", "JournalEntry")
    for entry in JournalEntry.objects.exclude(draft_data=None).iterator():
        values = (entry.draft_data or {}).get("data") or {}
        if any(
            not _dismissed(entry, f.kind, f.text)
            for value in values.values()
            for f in find_phi(str(value or ""))
        ):
            JournalEntry.objects.filter(pk=entry.pk).update(draft_data=None, draft_saved_at=None)


class Migration(migrations.Migration):
    dependencies = [("experience", "0002_relabel_stored_references")]

    operations = [migrations.RunPython(clear_drafts_with_phi, migrations.RunPython.noop)]
