"""/specialties: the public list of specialties (codes other endpoints accept) and one
specialty with its signals and Match outcomes, each outcome row with its source."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router

from matchway.core.exceptions import NotFound

from . import selectors
from .models import Specialty
from .schemas import OutcomeOut, SignalsOut, SpecialtyDetailOut, SpecialtyOut

router = Router(tags=["reference"])


@router.get(
    "/specialties",
    response=list[SpecialtyOut],
    auth=None,
    operation_id="reference_specialty_list",
)
def specialties(request: HttpRequest) -> QuerySet[Specialty]:
    return Specialty.objects.all()


@router.get(
    "/specialties/{code}",
    response=SpecialtyDetailOut,
    auth=None,
    operation_id="reference_specialty_get",
)
def specialty_get(request: HttpRequest, code: str) -> SpecialtyDetailOut:
    specialty = selectors.specialty_get(code)
    if specialty is None:
        raise NotFound()
    facts = selectors.signal_facts(specialty)
    return SpecialtyDetailOut(
        code=specialty.code,
        name=specialty.name,
        description=specialty.description,
        application_service=selectors.application_service(specialty),
        training_years=specialty.training_years,
        signals=SignalsOut(**facts.__dict__) if facts else None,
        outcomes=[
            OutcomeOut(
                year=o.year,
                label=o.label,
                scope=o.scope,
                positions_offered=o.positions_offered,
                filled_total=o.filled_total,
                filled_us_md=o.filled_us_md,
                filled_us_do=o.filled_us_do,
                filled_us_img=o.filled_us_img,
                filled_non_us_img=o.filled_non_us_img,
                unfilled=o.unfilled,
                fill_rate=o.fill_rate,
                source=o.source_url,
                source_label=o.source_label,
            )
            for o in selectors.outcomes_for(specialty)
        ],
    )
