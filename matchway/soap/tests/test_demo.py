from __future__ import annotations

from io import StringIO
from typing import Any

import pytest

from matchway.accounts.tests.factories import UserFactory
from matchway.soap import demo
from matchway.soap.models import OfferStatus, SoapWeek, WeekKind

pytestmark = [pytest.mark.django_db]


def test_demo_has_a_finished_drill_and_an_empty_real_week(reference_data: Any) -> None:
    applicant = UserFactory(role="applicant", email="applicant@example.com")
    context = {"users": {"applicant": applicant}, "stdout": StringIO()}
    demo.seed(context)
    demo.seed(context)  # idempotent
    drill = SoapWeek.objects.get(applicant=applicant, kind=WeekKind.DRILL)
    assert drill.drill_finished_at is not None
    assert drill.applications.filter(sent_at__isnull=False).count() == 45
    assert drill.offers.filter(status=OfferStatus.ACCEPTED).count() == 1
    assert drill.offers.filter(status=OfferStatus.DECLINED).exists()
    real = SoapWeek.objects.get(applicant=applicant, kind=WeekKind.REAL)
    assert not real.imports.exists() and not real.applications.exists()
