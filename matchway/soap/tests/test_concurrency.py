"""Many tabs recording SOAP applications at once never exceed the season's limit.

Real threads and connections (`transactional_db`), on SQLite and PostgreSQL (`postgres`).
"""

from __future__ import annotations

from typing import Any

import pytest

from matchway.accounts.tests.factories import UserFactory
from matchway.core.exceptions import BusyError, SoapLimit
from matchway.soap import samples, selectors, services
from matchway.soap.models import SoapWeek
from tests.concurrency.helpers import run_in_waves

pytestmark = [pytest.mark.postgres]


def test_concurrent_applications_never_exceed_the_limit(transactional_db: None) -> None:
    user = UserFactory(role="applicant", email="soap-racer@example.com")
    week = services.week_get_or_create(user)
    limit = selectors.application_limit()
    codes = [r["program_code"] for r in samples.sample_rows(limit + 15)]
    # Fill all but five slots, then race 20 tabs for the last five.
    services.applications_add(actor=user, week=week, codes=codes[: limit - 5])

    def apply(code: str) -> Any:
        fresh = SoapWeek.objects.get(pk=week.pk)
        return services.applications_add(actor=user, week=fresh, codes=[code])

    results = run_in_waves(apply, codes[limit - 5 :])
    unexpected = [r for r in results if isinstance(r, BaseException)]
    assert all(isinstance(r, (SoapLimit, BusyError)) for r in unexpected), unexpected
    assert any(isinstance(r, SoapLimit) for r in unexpected)
    assert week.applications.count() <= limit
    created = [r for r in results if not isinstance(r, BaseException)]
    assert week.applications.count() == limit - 5 + len(created)
