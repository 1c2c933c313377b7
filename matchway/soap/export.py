"""Personal-data export hook: every Match Week (real and drills) with its imported lists,
applications and offers."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from matchway.accounts.models import User
from matchway.core.privacy import model_row

from .models import ListImport, SoapApplication, SoapOffer, SoapWeek


def export(user: User) -> dict[str, Any]:
    weeks = (
        SoapWeek.objects.filter(applicant=user)
        .prefetch_related(
            Prefetch("imports", queryset=ListImport.objects.order_by("round")),
            "imports__rows",
            Prefetch("applications", queryset=SoapApplication.objects.order_by("created_at", "pk")),
            "applications__letters",
            Prefetch("offers", queryset=SoapOffer.objects.order_by("round", "received_at", "pk")),
        )
        .order_by("season", "kind")
    )
    return {
        "soap": [
            {
                **model_row(w, exclude={"applicant"}),
                "lists": [
                    {
                        **model_row(i, exclude={"week"}),
                        "programs": [model_row(r, exclude={"list_import"}) for r in i.rows.all()],
                    }
                    for i in w.imports.all()
                ],
                "applications": [
                    {
                        **model_row(a, exclude={"week", "letters"}),
                        "letter_ids": [letter.pk for letter in a.letters.all()],
                    }
                    for a in w.applications.all()
                ],
                "offers": [model_row(o, exclude={"week"}) for o in w.offers.all()],
            }
            for w in weeks
        ]
    }
