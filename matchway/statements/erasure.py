"""Account erasure hook: statements, versions, reviewer invitations and comments."""

from __future__ import annotations

from matchway.accounts.models import User

from .models import ReviewComment, Statement


def erase(user: User) -> dict[str, int]:
    count, _ = Statement.objects.filter(applicant=user).delete()
    # Comments the person wrote as a reviewer on someone else's statement keep their text
    # (it is the other applicant's record) but lose the author's name.
    ReviewComment.objects.filter(author=user).update(author=None, author_name="")
    return {"statement_rows": count}
