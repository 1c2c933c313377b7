"""Programs by hand, shared list copy, target pipeline, documents, fit from Matchway evidence."""

from __future__ import annotations

import pytest

from matchway.accounts.models import ApplicantProfile
from matchway.core.exceptions import AlreadyExists, InvalidTransition, NotFound, ValidationFailed
from matchway.eras.models import Program, ProgramTarget, TargetStatusChange
from matchway.eras.selectors_programs import target_row_for_user, target_rows_for_user
from matchway.eras.services.programs import (
    program_add,
    program_delete,
    program_update,
    shared_program_copy,
    shared_program_create,
)
from matchway.eras.services.signals import target_signal_set
from matchway.eras.services.targets import target_status_set, target_update

from .factories_programs import add_program, certified_rotation, program_input, req

pytestmark = pytest.mark.usefixtures("reference_data")


def test_add_by_hand_with_requirements(applicant):
    target = add_program(applicant, requirements=[req("step2_min", "230", "preferred")])
    assert target.status == "considering"
    assert target.program.owner == applicant
    [r] = target.program.requirements.all()
    assert (r.kind, r.value, r.strictness, r.source_url) == (
        "step2_min",
        "230",
        "preferred",
        "https://example.org/img",
    )
    assert TargetStatusChange.objects.filter(target=target, to_status="considering").count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("acgme_id", "12345"), ("nrmp_code", "1234-140C"), ("specialty", "ZZZ"), ("state", "ZZ")],
)
def test_bad_fields_are_refused_per_field(applicant, field, value):
    with pytest.raises(ValidationFailed) as exc:
        program_add(actor=applicant, data=program_input(**{field: value}))
    assert field in exc.value.errors
    assert not Program.objects.exists()


def test_same_acgme_id_twice_is_already_exists(applicant, outsider):
    add_program(applicant, acgme_id="1403500001")
    with pytest.raises(AlreadyExists):
        add_program(applicant, acgme_id="1403500001")
    add_program(outsider, acgme_id="1403500001")  # another list may hold it


def test_edit_and_delete_only_own(applicant, outsider):
    target = add_program(applicant)
    data = program_input(acgme_id=target.program.acgme_id, name="Renamed IM")
    with pytest.raises(NotFound):
        program_update(actor=outsider, program=target.program, data=data)
    program_update(actor=applicant, program=target.program, data=data)
    assert Program.objects.get(pk=target.program.pk).name == "Renamed IM"
    with pytest.raises(NotFound):
        program_delete(actor=outsider, program=target.program)
    program_delete(actor=applicant, program=target.program)
    assert not ProgramTarget.objects.exists()


def test_coordinator_curates_shared_list_applicant_copies(applicant, coordinator):
    shared = shared_program_create(
        actor=coordinator, data=program_input(requirements=[req("visas", "j1")])
    )
    assert shared.owner is None
    target = shared_program_copy(actor=applicant, shared=shared)
    assert target.program.pk != shared.pk
    assert target.program.owner == applicant
    assert [r.value for r in target.program.requirements.all()] == ["j1"]
    with pytest.raises(AlreadyExists):
        shared_program_copy(actor=applicant, shared=shared)


def test_status_pipeline_records_every_change(applicant, time_machine):
    time_machine.move_to("2026-09-01T12:00:00+00:00", tick=False)
    target = add_program(applicant)
    time_machine.move_to("2026-10-01T12:00:00+00:00", tick=False)
    target_status_set(actor=applicant, target=target, status="applied")
    target_status_set(actor=applicant, target=target, status="interview_scheduled")
    with pytest.raises(InvalidTransition):
        target_status_set(actor=applicant, target=target, status="considering")
    target_status_set(actor=applicant, target=target, status="withdrawn")
    with pytest.raises(InvalidTransition):
        target_status_set(actor=applicant, target=target, status="ranked")
    changes = list(TargetStatusChange.objects.filter(target=target))
    assert [(c.from_status, c.to_status) for c in changes] == [
        ("", "considering"),
        ("considering", "applied"),
        ("applied", "interview_scheduled"),
        ("interview_scheduled", "withdrawn"),
    ]
    assert changes[1].changed_at.isoformat() == "2026-10-01T12:00:00+00:00"


def test_notes_geo_and_signal(applicant, outsider):
    target = add_program(applicant)
    target_update(actor=applicant, target=target, notes="Call alumni", geographic_preference=True)
    target_signal_set(target=target, signal="gold", actor=applicant)
    target.refresh_from_db()
    assert (target.notes, target.geographic_preference, target.signal) == (
        "Call alumni",
        True,
        "gold",
    )
    with pytest.raises(NotFound):
        target_update(actor=outsider, target=target, notes="x")
    with pytest.raises(ValidationFailed):
        target_signal_set(target=target, signal="platinum", actor=applicant)


def test_fit_uses_certified_rotations_and_profile(applicant, outsider):
    ApplicantProfile.objects.update_or_create(
        user=applicant, defaults={"usmle_step2ck": "241", "visa_need": "j1"}
    )
    certified_rotation(applicant, hands_on=True, length_days=56)
    certified_rotation(outsider, hands_on=True, length_days=200)  # not Alice's
    target = add_program(
        applicant,
        requirements=[
            req("usce_months", "3"),
            req("usce_kind", "hands_on"),
            req("step2_min", "230"),
            req("visas", "h1b"),
        ],
    )
    row = target_row_for_user(user=applicant, pk=target.pk)
    assert row is not None
    verdicts = {line.kind: line.verdict for line in row.lines}
    assert verdicts == {
        "step2_min": "met",
        "usce_kind": "met",
        "usce_months": "not_met",
        "visas": "not_met",
    }
    usce = next(line for line in row.lines if line.kind == "usce_months")
    assert "you have 2 months, certificate MW-T" in usce.reason
    assert row.fit == "not_met"


def test_rows_filter_and_other_applicant_sees_nothing(applicant, outsider):
    add_program(applicant, specialty="140", state="NY")
    add_program(applicant, specialty="120", state="CA")
    assert len(target_rows_for_user(user=applicant)) == 2
    assert target_rows_for_user(user=outsider) == []
    assert target_row_for_user(user=outsider, pk=ProgramTarget.objects.first().pk) is None
