"""/specialties: the public list of specialties (codes other endpoints accept)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router

from .models import Specialty
from .schemas import SpecialtyOut

router = Router(tags=["reference"])


@router.get(
    "/specialties",
    response=list[SpecialtyOut],
    auth=None,
    operation_id="reference_specialty_list",
)
def specialties(request: HttpRequest) -> QuerySet[Specialty]:
    return Specialty.objects.all()
