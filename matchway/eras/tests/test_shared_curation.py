"""Coordinators edit and delete programs on the shared list (#13): same form and validation
as the add page, a confirm step before deleting, audited; applicants' copies never change;
applicants, preceptors and anonymous visitors can do neither."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchway.core.exceptions import NotFound
from matchway.core.models import AuditEvent
from matchway.eras.models import Program
from matchway.eras.services.programs import (
    program_delete,
    program_update,
    shared_program_copy,
    shared_program_create,
)

from .factories_programs import add_program, program_input, req

pytestmark = pytest.mark.usefixtures("reference_data")

FORM = {
    "acgme_id": "1403500601",
    "name": "Shared Harbor IM",
    "specialty": "140",
    "position_type": "categorical",
    "state": "NY",
    "city": "Albany",
    "req_visas_value": "j1",
    "req_visas_strictness": "strict",
    "req_visas_source_url": "https://example.org/harbor",
}


@pytest.fixture
def shared(coordinator):
    return shared_program_create(
        actor=coordinator,
        data=program_input(
            acgme_id="1403500601", name="Shared Harbor IM", requirements=[req("visas", "j1")]
        ),
    )


def test_shared_list_links_to_edit_and_delete_for_coordinators_only(
    shared, coordinator_client, applicant_client
):
    body = coordinator_client.get(reverse("eras:shared-list")).content.decode()
    assert reverse("eras:shared-edit", args=[shared.pk]) in body
    assert reverse("eras:shared-delete", args=[shared.pk]) in body
    body = applicant_client.get(reverse("eras:shared-list")).content.decode()
    assert reverse("eras:shared-edit", args=[shared.pk]) not in body
    assert reverse("eras:shared-delete", args=[shared.pk]) not in body


def test_coordinator_edits_a_shared_program_and_its_requirements(shared, coordinator_client):
    url = reverse("eras:shared-edit", args=[shared.pk])
    body = coordinator_client.get(url).content.decode()
    assert 'value="Shared Harbor IM"' in body
    assert 'value="https://example.org/img"' in body  # the requirement row is prefilled
    data = {
        **FORM,
        "name": "Harbor Internal Medicine",
        "req_visas_value": "j1,h1b",
        "req_step2_min_value": "235",
        "req_step2_min_strictness": "preferred",
        "req_step2_min_source_url": "https://example.org/harbor/step2",
        "req_step2_min_checked_on": "2026-11-20",
    }
    response = coordinator_client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("eras:shared-list")
    shared.refresh_from_db()
    assert shared.name == "Harbor Internal Medicine"
    assert shared.owner is None
    rows = {r.kind: (r.value, r.strictness) for r in shared.requirements.all()}
    assert rows == {"visas": ("j1,h1b", "strict"), "step2_min": ("235", "preferred")}
    event = AuditEvent.objects.get(action="eras_program.shared_updated")
    assert event.target_id == str(shared.pk)


def test_invalid_edit_keeps_the_input_and_changes_nothing(shared, coordinator_client):
    url = reverse("eras:shared-edit", args=[shared.pk])
    data = {**FORM, "acgme_id": "14035", "name": "Typed But Invalid", "req_visas_value": "h1b"}
    response = coordinator_client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "10 digits" in body
    assert 'value="Typed But Invalid"' in body
    assert 'value="h1b"' in body
    shared.refresh_from_db()
    assert (shared.acgme_id, shared.name) == ("1403500601", "Shared Harbor IM")
    assert [r.value for r in shared.requirements.all()] == ["j1"]
    assert not AuditEvent.objects.filter(action="eras_program.shared_updated").exists()


def test_edit_to_an_acgme_id_already_shared_is_refused(shared, coordinator, coordinator_client):
    shared_program_create(actor=coordinator, data=program_input(acgme_id="1403500602"))
    url = reverse("eras:shared-edit", args=[shared.pk])
    response = coordinator_client.post(url, {**FORM, "acgme_id": "1403500602"})
    assert response.status_code == 200
    assert "already on the shared list" in response.content.decode()
    shared.refresh_from_db()
    assert shared.acgme_id == "1403500601"


def test_delete_asks_first_then_removes_only_the_shared_row(shared, coordinator_client, applicant):
    copy = shared_program_copy(actor=applicant, shared=shared).program
    url = reverse("eras:shared-delete", args=[shared.pk])
    response = coordinator_client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Remove Shared Harbor IM from the shared list?" in body
    assert 'method="post"' in body
    assert Program.objects.filter(pk=shared.pk).exists()  # GET changes nothing

    response = coordinator_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("eras:shared-list")
    assert not Program.objects.filter(pk=shared.pk).exists()
    # The applicant's copy, its requirement and its target are untouched.
    copy.refresh_from_db()
    assert copy.owner == applicant
    assert [r.value for r in copy.requirements.all()] == ["j1"]
    assert copy.targets.filter(applicant=applicant).exists()
    event = AuditEvent.objects.get(action="eras_program.shared_deleted")
    assert event.data == {"acgme_id": "1403500601"}
    assert coordinator_client.post(url).status_code == 404


def test_editing_the_shared_row_leaves_copies_alone(shared, coordinator, applicant):
    copy = shared_program_copy(actor=applicant, shared=shared).program
    program_update(
        actor=coordinator, program=shared, data=program_input(acgme_id="1403500601", name="New")
    )
    copy.refresh_from_db()
    assert copy.name == "Shared Harbor IM"
    assert [r.value for r in copy.requirements.all()] == ["j1"]


@pytest.mark.parametrize("name", ["eras:shared-edit", "eras:shared-delete"])
def test_other_roles_can_neither_edit_nor_delete(
    name, shared, applicant_client, preceptor_client, anonymous
):
    url = reverse(name, args=[shared.pk])
    for client in (applicant_client, preceptor_client):
        assert client.get(url).status_code == 403
        assert client.post(url, FORM).status_code == 403
    response = anonymous.post(url, FORM)
    assert response.status_code == 302
    assert "login" in response["Location"]
    shared.refresh_from_db()
    assert shared.name == "Shared Harbor IM"


def test_coordinator_cannot_reach_an_applicants_program_through_shared_pages(
    coordinator_client, applicant
):
    program = add_program(applicant).program
    for name in ("eras:shared-edit", "eras:shared-delete"):
        assert coordinator_client.get(reverse(name, args=[program.pk])).status_code == 404
        assert coordinator_client.post(reverse(name, args=[program.pk])).status_code == 404
    assert Program.objects.filter(pk=program.pk).exists()


def test_services_refuse_applicants_on_shared_rows(shared, applicant):
    with pytest.raises(NotFound):
        program_update(actor=applicant, program=shared, data=program_input())
    with pytest.raises(NotFound):
        program_delete(actor=applicant, program=shared)


def test_coordinator_shared_list_queries_stay_pinned(
    coordinator, coordinator_client, django_assert_num_queries
):
    from .test_programs_views import QUERIES_SHARED

    for i in range(3):
        shared_program_create(
            actor=coordinator,
            data=program_input(acgme_id=f"14039{i:05d}", requirements=[req("visas", "j1")]),
        )
    url = reverse("eras:shared-list")
    coordinator_client.get(url)
    with django_assert_num_queries(QUERIES_SHARED):
        coordinator_client.get(url)
    for i in range(3, 20):
        shared_program_create(actor=coordinator, data=program_input(acgme_id=f"14039{i:05d}"))
    with django_assert_num_queries(QUERIES_SHARED):
        coordinator_client.get(url)
