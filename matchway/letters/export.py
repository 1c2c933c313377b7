"""Personal-data export hook: letter requests as the applicant sees them.

A waived letter's request gives its status and dates only: the rows come from
`letter_request_views(viewer=user)`, whose `letter` is None whenever the applicant may not
see the letter (docs/dev/letters-confidentiality.md), and files only from
`letter_files_for_applicant_export`, which never reads a waived letter.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from matchway.accounts.models import User
from matchway.core.privacy import ExportFile

from .models import Letter
from .selectors import (
    letter_files_for_applicant_export,
    letter_request_list,
    letter_request_views,
)


def _arcname(letter: Letter) -> str:
    # The neutral download name, as on the applicant's pages.
    return f"files/letters/letter-{letter.request_id}.pdf"


def export(user: User) -> dict[str, Any]:
    views = letter_request_views(viewer=user, requests=letter_request_list(viewer=user))
    rows = []
    for view in views:
        row = dataclasses.asdict(view)
        row["letter"] = (
            dataclasses.asdict(view.letter) if view.letter is not None and not view.waived else None
        )
        rows.append(row)
    return {"letter_requests": rows}


def files(user: User) -> list[ExportFile]:
    return [
        (_arcname(letter), letter.file.storage, letter.file.name)
        for letter in letter_files_for_applicant_export(viewer=user)
    ]
