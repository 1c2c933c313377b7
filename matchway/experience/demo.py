"""Demo data for the rotation experience: one completed rotation of the demo applicant with
confirmed attendance, journal entries, a preceptor evaluation, a self-assessment, a
certificate and an ERAS draft. Idempotent: does nothing once that certificate exists.

Discovered by `seed_demo` (core.discovery); runs after the rotations demo (INSTALLED_APPS order).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.test.utils import override_settings

from matchway.accounts.models import User
from matchway.core import clock
from matchway.experience.models import AttendanceRecord, Certificate, JournalEntry, JournalKind
from matchway.experience.services.certificates import certificate_issue
from matchway.experience.services.eras_drafts_versions import eras_draft_generate
from matchway.experience.services.evaluations import EvaluationInput
from matchway.experience.services.evaluations_requests import (
    evaluation_request,
    evaluation_self_start,
)
from matchway.experience.services.evaluations_submit import evaluation_save
from matchway.experience.services.journal_entries import journal_entry_share
from matchway.reference.models import Specialty, State
from matchway.rotations.models import (
    Application,
    ApplicationStatus,
    Rotation,
    RotationKind,
    RotationSession,
    SessionStatus,
    Site,
    SiteKind,
)

PRE_ROUNDING = {
    "team": "Attending (internal medicine), two residents, one intern, charge nurse, "
    "clinical pharmacist, case manager.",
    "patients": "New heart failure exacerbation, day 2\nCommunity-acquired pneumonia, day 3 "
    "of antibiotics\nDiabetic ketoacidosis, transitioning to subcutaneous insulin",
    "overnight": "Heart failure patient needed one extra dose of IV furosemide; no rapid "
    "responses on the team.",
    "pending": "Morning BMP and magnesium, echocardiogram read, cardiology consult note.",
    "presentation": "One-liner and plan for the heart failure patient: diuresis goal, daily "
    "weights, strict intake and output.",
    "safety": "Fall risk flagged for the patient with orthostatic symptoms; told the nurse.",
    "questions": "When do we switch from IV to oral diuretics? Asked the senior resident.",
}
REFLECTION = {
    "experience": "Watched the team run a family meeting about goals of care. I prepared the "
    "medication list and summarized it for the intern.",
    "feedback": "The senior resident said my presentation was organized but should lead with "
    "the assessment.",
    "next_time": "Lead with the assessment and plan, then support it with data.",
    "fit": "Following patients from admission to discharge showed me why internal medicine "
    "suits the way I think: problem lists, trends and teamwork.",
}
CASES = [
    {
        "setting": "inpatient",
        "age_band": "older_adult",
        "complaint": "cardiovascular",
        "diagnosis": "cardiovascular",
        "role": "observed",
        "procedures": "ECG interpretation, volume status exam",
        "teaching_point": "Daily weights beat intake and output charts for tracking diuresis.",
    },
    {
        "setting": "inpatient",
        "age_band": "adult",
        "complaint": "respiratory",
        "diagnosis": "infectious",
        "role": "observed",
        "procedures": "Chest X-ray review",
        "teaching_point": "Reassess antibiotics at 48 to 72 hours with cultures in hand.",
    },
    {
        "setting": "clinic",
        "age_band": "young_adult",
        "complaint": "endocrine",
        "diagnosis": "endocrine",
        "role": "observed",
        "procedures": "Insulin dose calculation, foot exam",
        "teaching_point": "Close the anion gap before stopping the insulin drip.",
    },
]


def _rotation(preceptor: User) -> Rotation:
    rotation = (
        Rotation.objects.filter(preceptors=preceptor, kind=RotationKind.OBSERVERSHIP)
        .order_by("pk")
        .first()
    ) or Rotation.objects.filter(preceptors=preceptor).order_by("pk").first()
    if rotation is not None:
        return rotation
    site, _created = Site.objects.get_or_create(
        name="Lakeside Community Hospital",
        defaults={
            "kind": SiteKind.HOSPITAL,
            "address": "100 Lakeshore Drive",
            "city": "Chicago",
            "state": State.objects.filter(code="IL").first(),
            "timezone": "America/Chicago",
        },
    )
    rotation, _created = Rotation.objects.get_or_create(
        slug="internal-medicine-observership-lakeside",
        defaults={
            "title": "Internal Medicine Inpatient Observership",
            "specialty": Specialty.objects.get(code="140"),
            "kind": RotationKind.OBSERVERSHIP,
            "hands_on": False,
            "site": site,
            "weeks": 4,
            "price_cents": 180_000,
            "deposit_cents": 30_000,
            "published": True,
        },
    )
    rotation.preceptors.add(preceptor)
    return rotation


def seed(context: dict[str, Any]) -> None:
    # Demo data should not print its notification emails to the console.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        _seed(context)


def _seed(context: dict[str, Any]) -> None:
    users = context["users"]
    applicant, preceptor, coordinator = (
        users["applicant"],
        users["preceptor"],
        users["coordinator"],
    )
    if Certificate.objects.filter(application__applicant=applicant).exists():
        context["stdout"].write("  experience: already seeded")
        return
    rotation = _rotation(preceptor)
    today = clock.provider_today()
    end = today - dt.timedelta(days=10)
    start = end - dt.timedelta(days=25)
    with transaction.atomic():
        session = RotationSession.objects.create(
            rotation=rotation,
            start_date=start,
            end_date=end,
            capacity=4,
            status=SessionStatus.CLOSED,
        )
        application = Application.objects.create(
            applicant=applicant,
            session=session,
            status=ApplicationStatus.COMPLETED,
            motivation="To see US inpatient medicine from the first day of a stay to discharge.",
            consent_share_documents=True,
            decided_at=clock.now() - dt.timedelta(days=60),
            confirmed_at=clock.now() - dt.timedelta(days=50),
            started_at=clock.now() - dt.timedelta(days=35),
            completed_at=clock.now() - dt.timedelta(days=9),
        )
        day = start
        while day <= end:
            if day.weekday() < 5:
                AttendanceRecord.objects.create(
                    application=application, day=day, hours=Decimal("8"), confirmed_by=preceptor
                )
            day += dt.timedelta(days=1)
        entries = [
            JournalEntry(
                application=application,
                kind=JournalKind.PRE_ROUNDING,
                entry_date=start + dt.timedelta(days=1),
                hours=Decimal("8"),
                data=PRE_ROUNDING,
                is_draft=False,
            ),
            JournalEntry(
                application=application,
                kind=JournalKind.REFLECTION,
                entry_date=start + dt.timedelta(days=1),
                hours=Decimal("8"),
                data=REFLECTION,
                is_draft=False,
            ),
        ]
        entries += [
            JournalEntry(
                application=application,
                kind=JournalKind.CASE_LOG,
                entry_date=start + dt.timedelta(days=2 + i * 5),
                hours=Decimal("8"),
                data=case,
                is_draft=False,
            )
            for i, case in enumerate(CASES)
        ]
        JournalEntry.objects.bulk_create(entries)
    journal_entry_share(
        actor=applicant,
        entry=JournalEntry.objects.get(application=application, kind=JournalKind.REFLECTION),
    )
    evaluation, _new = evaluation_request(
        application=application, evaluator=preceptor, phase="final", due_on=end
    )
    evaluation_save(
        actor=preceptor,
        evaluation=evaluation,
        values=EvaluationInput(
            ratings={"PC": None, "MK": 4, "PBLI": 5, "ICS": 4, "PROF": 5, "SBP": 4, "SA": 5},
            strengths="Always prepared before rounds and kept an accurate picture of the team's "
            "patients. Clear, well-organized presentations.",
            areas_to_grow="Lead with the assessment; commit to a plan before being asked.",
            would_write_letter=True,
            recommendation="strongly_recommend",
            confidential_comments="Among the strongest students I have taught this year; "
            "ready for a categorical internal medicine program.",
        ),
        submit=True,
    )
    own = evaluation_self_start(actor=applicant, application=application)
    evaluation_save(
        actor=applicant,
        evaluation=own,
        values=EvaluationInput(
            ratings={"PC": None, "MK": 3, "PBLI": 4, "ICS": 3, "PROF": 5, "SBP": 3, "SA": 4},
            strengths="Preparation and reliability.",
            areas_to_grow="Presentations: lead with the plan.",
        ),
        submit=True,
    )
    certificate = certificate_issue(actor=coordinator, application=application)
    eras_draft_generate(actor=applicant, application=application)
    context["stdout"].write(
        f"  experience: completed rotation with certificate {certificate.number}"
    )
