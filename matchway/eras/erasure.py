"""Account erasure hook: the applicant's targets (with status history and interviews) and
the programs they added. Shared programs (no owner) are the provider's and stay."""

from __future__ import annotations

from matchway.accounts.models import User

from .models import Program, ProgramTarget


def erase(user: User) -> dict[str, int]:
    targets, _ = ProgramTarget.objects.filter(applicant=user).delete()
    programs, _ = Program.objects.filter(owner=user).delete()
    return {"eras_target_rows": targets, "eras_program_rows": programs}
