"""The move of the experience models out of `rotations` keeps every row, label and link.

A database is taken back to the state before the move (rotations 0003, no experience app),
filled through the historical models with a row in every moved table plus the things that
point at them from elsewhere (audit events, one-time tokens, content types, a queued task),
then migrated forward. Everything must come out the other side unchanged, read through the
new `experience` models.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("rotations", "0003_experience_workflows"), ("experience", None)]
MOVED = (
    "attendancerecord",
    "certificate",
    "erasexperiencedraft",
    "erasexperiencedraftversion",
    "evaluation",
    "journalcomment",
    "journalentry",
)


def _migrate(targets: list[tuple[str, str | None]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    applied = [
        key for key in executor.loader.applied_migrations if key in executor.loader.graph.nodes
    ]
    return executor.loader.project_state(applied).apps


def _latest() -> list[tuple[str, str | None]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _populate(apps: Any) -> dict[str, Any]:
    """One row in every moved table, through the models as they were before the move."""
    User = apps.get_model("accounts", "User")
    Specialty = apps.get_model("reference", "Specialty")
    State = apps.get_model("reference", "State")
    Site = apps.get_model("rotations", "Site")
    Rotation = apps.get_model("rotations", "Rotation")
    RotationSession = apps.get_model("rotations", "RotationSession")
    Application = apps.get_model("rotations", "Application")
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("core", "AuditEvent")
    OneTimeToken = apps.get_model("core", "OneTimeToken")
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")

    now = timezone.now()
    applicant = User.objects.create(
        email="mig-a@example.com", full_name="Ada Mig", role="applicant"
    )
    preceptor = User.objects.create(email="mig-p@example.com", full_name="Dr P", role="preceptor")
    specialty, _ = Specialty.objects.get_or_create(
        code="140", defaults={"name": "Internal Medicine", "category": "primary_care"}
    )
    state, _ = State.objects.get_or_create(code="NY", defaults={"name": "New York"})
    site = Site.objects.create(
        name="Mig Hospital", kind="hospital", city="Brooklyn", state=state, address="1 Main St"
    )
    rotation = Rotation.objects.create(
        slug="mig-im",
        title="Mig IM",
        specialty=specialty,
        kind="clerkship",
        site=site,
        weeks=4,
        price_cents=1000,
        deposit_cents=100,
    )
    session = RotationSession.objects.create(
        rotation=rotation,
        start_date=dt.date(2026, 9, 1),
        end_date=dt.date(2026, 9, 28),
        capacity=3,
    )
    application = Application.objects.create(
        applicant=applicant, session=session, status="completed"
    )

    M = {name: apps.get_model("rotations", name) for name in MOVED}
    rows: dict[str, Any] = {}
    rows["attendancerecord"] = M["attendancerecord"].objects.create(
        application=application,
        day=dt.date(2026, 9, 2),
        hours=Decimal("8.5"),
        confirmed_by=preceptor,
    )
    rows["journalentry"] = M["journalentry"].objects.create(
        application=application,
        kind="reflection",
        entry_date=dt.date(2026, 9, 2),
        hours=Decimal("9.0"),
        data={"reflection": "Learned to present a patient in under two minutes."},
        is_draft=False,
        shared_with_preceptor=True,
        shared_at=now,
        revision=3,
    )
    rows["journalcomment"] = M["journalcomment"].objects.create(
        entry=rows["journalentry"], author=preceptor, body="Good structure."
    )
    rows["evaluation"] = M["evaluation"].objects.create(
        application=application,
        kind="preceptor",
        phase="final",
        evaluator=preceptor,
        ratings={"patient_care": 4},
        strengths="Thorough.",
        submitted_at=now,
        due_on=dt.date(2026, 10, 5),
    )
    addendum = M["evaluation"].objects.create(
        application=application,
        kind="preceptor",
        phase="final",
        evaluator=preceptor,
        addendum_to=rows["evaluation"],
        addendum_reason="Clarified one rating.",
        submitted_at=now,
    )
    rows["certificate"] = M["certificate"].objects.create(
        number="MW-MIGRATE000",
        application=application,
        hours=Decimal("8.5"),
        issued_by=preceptor,
        payload={"number": "MW-MIGRATE000"},
        signature="sig",
        key_id="k1",
        pdf="certificates/MW-MIGRATE000.pdf",
        render_state="done",
    )
    rows["erasexperiencedraft"] = M["erasexperiencedraft"].objects.create(application=application)
    rows["erasexperiencedraftversion"] = M["erasexperiencedraftversion"].objects.create(
        draft=rows["erasexperiencedraft"],
        number=1,
        source="generated",
        experience_type="Clinical",
        organization="Mig Hospital",
        role="Clinical clerk",
        start_date=dt.date(2026, 9, 1),
        end_date=dt.date(2026, 9, 28),
        description="Four weeks of inpatient medicine.",
        created_by=applicant,
    )
    # What points at them from elsewhere, under the old labels.
    content_types = {
        name: ContentType.objects.get_or_create(app_label="rotations", model=name)[0].pk
        for name in MOVED
    }
    audits = [
        AuditEvent.objects.create(
            action=f"{name}.test", target_type=f"rotations.{name}", target_id=str(row.pk)
        ).pk
        for name, row in rows.items()
    ]
    token = OneTimeToken.objects.create(
        purpose="evaluation",
        digest="d" * 64,
        target_type="rotations.evaluation",
        target_id=str(rows["evaluation"].pk),
        expires_at=now + dt.timedelta(days=7),
    )
    task = DBTaskResult.objects.create(
        task_path="matchway.rotations.tasks.certificate_render_task",
        args_kwargs={"args": [rows["certificate"].pk], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        priority=0,
        run_after=now,
    )
    return {
        "rows": {name: row.pk for name, row in rows.items()},
        "addendum": addendum.pk,
        "application": application.pk,
        "preceptor": preceptor.pk,
        "content_types": content_types,
        "audits": audits,
        "token": token.pk,
        "task": task.pk,
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_move_keeps_every_row_label_and_link() -> None:
    latest = _latest()
    try:
        before = _migrate(BEFORE)
        ids = _populate(before)
        _migrate(latest)
    finally:
        _migrate(latest)  # leave the test database as every other test expects it

    from django.contrib.contenttypes.models import ContentType
    from django_tasks_db.models import DBTaskResult

    from matchway.core.models import AuditEvent, OneTimeToken
    from matchway.experience.models import (
        AttendanceRecord,
        Certificate,
        ErasExperienceDraft,
        ErasExperienceDraftVersion,
        Evaluation,
        JournalComment,
        JournalEntry,
    )

    rows = ids["rows"]
    attendance = AttendanceRecord.objects.get(pk=rows["attendancerecord"])
    assert attendance.application_id == ids["application"]
    assert attendance.hours == Decimal("8.5")
    entry = JournalEntry.objects.get(pk=rows["journalentry"])
    assert entry.data["reflection"].startswith("Learned to present")
    assert (entry.revision, entry.shared_with_preceptor, entry.is_draft) == (3, True, False)
    assert JournalComment.objects.get(pk=rows["journalcomment"]).entry_id == entry.pk
    evaluation = Evaluation.objects.get(pk=rows["evaluation"])
    assert evaluation.ratings == {"patient_care": 4}
    assert Evaluation.objects.get(pk=ids["addendum"]).addendum_to_id == evaluation.pk
    certificate = Certificate.objects.get(pk=rows["certificate"])
    assert certificate.number == "MW-MIGRATE000"
    assert certificate.pdf.name == "certificates/MW-MIGRATE000.pdf"
    assert certificate.application.applicant.email == "mig-a@example.com"
    draft = ErasExperienceDraft.objects.get(pk=rows["erasexperiencedraft"])
    assert draft.application_id == ids["application"]
    version = ErasExperienceDraftVersion.objects.get(pk=rows["erasexperiencedraftversion"])
    assert version.draft_id == draft.pk

    # Reverse relations from rotations still work through the new app's models.
    assert list(certificate.application.journal.values_list("pk", flat=True)) == [entry.pk]

    # Content types keep their ids (permissions, admin log) under the new label.
    for name, pk in ids["content_types"].items():
        content_type = ContentType.objects.get(pk=pk)
        assert (content_type.app_label, content_type.model) == ("experience", name)
        assert content_type.model_class() is not None
    # Stored labels now name the new app.
    labels = set(
        AuditEvent.objects.filter(pk__in=ids["audits"]).values_list("target_type", flat=True)
    )
    assert labels == {f"experience.{name}" for name in rows}
    token = OneTimeToken.objects.get(pk=ids["token"])
    assert token.target_type == Evaluation._meta.label_lower
    task = DBTaskResult.objects.get(pk=ids["task"])
    assert task.task_path == "matchway.experience.tasks.certificate_render_task"
    assert not AuditEvent.objects.filter(target_type__startswith="rotations.journal").exists()
