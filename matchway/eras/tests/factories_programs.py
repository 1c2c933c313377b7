"""Test helpers for the program side: programs through the real services, certified USCE."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from matchway.accounts.models import User
from matchway.experience.models import Certificate, RenderState
from matchway.experience.tests.factories import completed_application
from matchway.rotations.models import Application

from ..models import ProgramTarget
from ..services.programs import ProgramInput, RequirementInput, program_add

_ids = itertools.count(1)


def acgme(n: int | None = None) -> str:
    return f"14035{(n if n is not None else next(_ids)):05d}"


def program_input(**overrides: Any) -> ProgramInput:
    values: dict[str, Any] = {
        "acgme_id": acgme(),
        "name": "Lakeside Internal Medicine",
        "specialty": "140",
        "state": "NY",
        "position_type": "categorical",
        "city": "Albany",
    }
    values.update(overrides)
    return ProgramInput(**values)


def req(kind: str, value: str, strictness: str = "strict") -> RequirementInput:
    return RequirementInput(
        kind=kind, value=value, strictness=strictness, source_url="https://example.org/img"
    )


def add_program(applicant: User, **overrides: Any) -> ProgramTarget:
    return program_add(actor=applicant, data=program_input(**overrides))


def certified_rotation(
    applicant: User, *, hands_on: bool = True, length_days: int = 55, ended_days_ago: int = 10
) -> Application:
    """A completed rotation with a valid, rendered certificate (the USCE fit trusts)."""
    application = completed_application(
        applicant=applicant,
        hands_on=hands_on,
        length_days=length_days,
        ended_days_ago=ended_days_ago,
    )
    Certificate.objects.create(
        number=f"MW-T{application.pk:05d}",
        application=application,
        hours=Decimal("160"),
        issued_by=applicant,
        payload={},
        signature="test",
        render_state=RenderState.DONE,
    )
    return application
