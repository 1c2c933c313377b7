"""Factories for the rotation experience: applications already running or completed, and
the rows that hang off them. Catalog rows come from `factories.py`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory

from matchway.accounts.tests.factories import UserFactory
from matchway.core import clock
from matchway.experience.models import (
    AttendanceRecord,
    Evaluation,
    EvaluationKind,
    JournalEntry,
    JournalKind,
)
from matchway.rotations.models import Application, ApplicationStatus
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    RotationFactory,
    RotationSessionFactory,
)


def running_application(
    *,
    applicant: Any = None,
    preceptors: list[Any] | None = None,
    started_days_ago: int = 14,
    length_days: int = 27,
    **rotation: Any,
) -> Application:
    """An `in_progress` application whose session started `started_days_ago` days ago."""
    # Without a site of its own the factory site is in the provider's zone (New York).
    today = clock.site_today(rotation["site"]) if "site" in rotation else clock.provider_today()
    start = today - dt.timedelta(days=started_days_ago)
    rot = RotationFactory(preceptors=preceptors or [], **rotation)
    session = RotationSessionFactory(
        rotation=rot, start_date=start, end_date=start + dt.timedelta(days=length_days)
    )
    return ApplicationFactory(
        applicant=applicant or UserFactory(role="applicant"),
        session=session,
        status=ApplicationStatus.IN_PROGRESS,
        started_at=clock.now() - dt.timedelta(days=started_days_ago),
    )


def completed_application(
    *,
    applicant: Any = None,
    preceptors: list[Any] | None = None,
    ended_days_ago: int = 3,
    length_days: int = 27,
    **rotation: Any,
) -> Application:
    """A `completed` application whose session ended `ended_days_ago` days ago."""
    application = running_application(
        applicant=applicant,
        preceptors=preceptors,
        started_days_ago=ended_days_ago + length_days,
        length_days=length_days,
        **rotation,
    )
    application.status = ApplicationStatus.COMPLETED
    application.completed_at = clock.now() - dt.timedelta(days=ended_days_ago)
    application.save(update_fields=["status", "completed_at"])
    return application


def confirm_days(application: Application, by: Any, hours: str = "8", days: int = 5) -> None:
    """Confirm `hours` on the first `days` weekdays of the session."""
    day = application.session.start_date
    done = 0
    while done < days and day <= application.session.end_date:
        if day.weekday() < 5:
            AttendanceRecord.objects.create(
                application=application, day=day, hours=Decimal(hours), confirmed_by=by
            )
            done += 1
        day += dt.timedelta(days=1)


class JournalEntryFactory(factory.django.DjangoModelFactory[JournalEntry]):
    """A saved (not draft) entry; pass `data` for the guided fields."""

    class Meta:
        model = JournalEntry

    kind = JournalKind.REFLECTION
    entry_date = factory.LazyAttribute(lambda o: o.application.session.start_date)
    hours = Decimal("8")
    data = factory.LazyFunction(dict)
    is_draft = False


class EvaluationFactory(factory.django.DjangoModelFactory[Evaluation]):
    class Meta:
        model = Evaluation

    kind = EvaluationKind.PRECEPTOR
    phase = "final"
    due_on = factory.LazyAttribute(lambda o: o.application.session.end_date)


FULL_RATINGS = {"PC": 4, "MK": 4, "PBLI": 5, "ICS": 4, "PROF": 5, "SBP": 3, "SA": 5}
