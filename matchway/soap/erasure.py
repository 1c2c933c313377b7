"""Account erasure hook: every Match Week of the person, with its lists, applications and
offers (cascade)."""

from __future__ import annotations

from matchway.accounts.models import User

from .models import SoapWeek


def erase(user: User) -> dict[str, int]:
    count, _ = SoapWeek.objects.filter(applicant=user).delete()
    return {"soap_rows": count}
