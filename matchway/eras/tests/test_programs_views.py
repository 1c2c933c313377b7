"""Pages and API of the program side: CSV import with a bad row, re-import updates, export
guarded against formulas, another applicant's program is 404, query counts pinned."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matchway.eras.models import Program, ProgramTarget

from .factories_programs import add_program, req

pytestmark = pytest.mark.usefixtures("reference_data")

CSV = (
    "acgme_id,name,specialty,state,position_type,step2_min,step2_min_strictness,visas,"
    "source_url,checked_on\n"
    '1403500101,Lakeside IM,140,NY,categorical,230,strict,"j1,h1b",https://example.org/a,'
    "2026-11-20\n"
    "14035,Broken Id IM,140,NY,categorical,,,,,\n"
    "1203500102,Valley FM,120,CA,categorical,,,none,,\n"
)


def _upload(client, text: str, name: str = "programs.csv"):
    return client.post(
        reverse("eras:program-import"),
        {"file": SimpleUploadedFile(name, text.encode(), "text/csv")},
    )


def test_import_reports_bad_row_and_keeps_good_ones(applicant_client, applicant):
    response = _upload(applicant_client, CSV)
    assert response.status_code == 200
    body = response.content.decode()
    assert "2 added, 0 updated." in body
    assert "Row 3:" in body
    assert "10 digits" in body
    program = Program.objects.get(owner=applicant, acgme_id="1403500101")
    [r1, r2] = program.requirements.order_by("kind")
    assert (r1.kind, r1.value, r1.strictness, str(r1.checked_on)) == (
        "step2_min",
        "230",
        "strict",
        "2026-11-20",
    )
    assert (r2.kind, r2.value) == ("visas", "j1,h1b")


def test_reimport_updates_by_acgme_id_never_duplicates(applicant_client, applicant):
    _upload(applicant_client, CSV)
    again = CSV.replace("Lakeside IM", "Lakeside Internal Medicine").replace(",230,", ",240,")
    response = _upload(applicant_client, again)
    assert "0 added, 2 updated." in response.content.decode()
    assert Program.objects.filter(owner=applicant).count() == 2
    assert ProgramTarget.objects.filter(applicant=applicant).count() == 2
    program = Program.objects.get(owner=applicant, acgme_id="1403500101")
    assert program.name == "Lakeside Internal Medicine"
    assert program.requirements.get(kind="step2_min").value == "240"


def test_import_refuses_unreadable_files(applicant_client):
    response = _upload(applicant_client, "name,state\nx,NY\n")
    assert "missing: acgme_id" in response.content.decode()
    bad = applicant_client.post(
        reverse("eras:program-import"),
        {"file": SimpleUploadedFile("p.csv", b"\xff\xfe\x00bad", "text/csv")},
    )
    assert "not UTF-8" in bad.content.decode()


def test_export_neutralises_formulas_and_imports_back(applicant_client, applicant):
    target = add_program(applicant, name='=HYPERLINK("http://evil")', acgme_id="1403500201")
    target.notes = "+1 call me"
    target.save()
    response = applicant_client.get(reverse("eras:program-export"))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["name"].startswith("'=HYPERLINK")
    assert rows[0]["notes"] == "'+1 call me"
    # The same file imports back as an update of the same program.
    again = _upload(applicant_client, text)
    assert "0 added, 1 updated." in again.content.decode()


def test_other_applicants_program_is_404(applicant, outsider_client):
    target = add_program(applicant)
    for name in ("eras:program-detail", "eras:program-edit"):
        assert outsider_client.get(reverse(name, args=[target.pk])).status_code == 404
    assert outsider_client.post(reverse("eras:program-delete", args=[target.pk])).status_code == 404
    assert outsider_client.get(f"/api/v1/me/programs/{target.pk}").status_code == 404
    assert (
        outsider_client.patch(
            f"/api/v1/me/programs/{target.pk}", {"notes": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert Program.objects.filter(pk=target.program_id).exists()


def test_add_form_validates_and_shows_fit(applicant_client, applicant):
    url = reverse("eras:program-add")
    assert applicant_client.get(url).status_code == 200
    data = {
        "acgme_id": "12",
        "name": "Hill IM",
        "specialty": "140",
        "position_type": "categorical",
        "state": "NY",
        "nrmp_code": "bad",
    }
    for kind in ("step2_min", "visas"):
        data[f"req_{kind}_strictness"] = "unknown"
    response = applicant_client.post(url, data)
    assert response.status_code == 200
    assert "exactly 10 digits" in response.content.decode()
    assert "NRMP program code is 7 digits" in response.content.decode()
    data.update(acgme_id="1403500301", nrmp_code="1234140C0")
    data["req_step2_min_value"] = "230"
    data["req_step2_min_strictness"] = "strict"
    response = applicant_client.post(url, data, follow=True)
    body = response.content.decode()
    assert "Program asks for at least 230 on Step 2 CK" in body
    assert "your profile has no Step 2 CK score" in body


def test_status_change_through_the_page(applicant_client, applicant):
    target = add_program(applicant)
    applicant_client.post(reverse("eras:target-status", args=[target.pk]), {"status": "applied"})
    target.refresh_from_db()
    assert target.status == "applied"
    response = applicant_client.post(
        reverse("eras:target-status", args=[target.pk]), {"status": "considering"}, follow=True
    )
    assert "cannot go from" in response.content.decode()


def test_list_filters_and_empty_state(applicant_client, applicant):
    response = applicant_client.get(reverse("eras:programs"))
    assert "Your program list is empty" in response.content.decode()
    add_program(applicant, name="Alpha IM", specialty="140", state="NY")
    add_program(applicant, name="Beta FM", specialty="120", state="CA")
    body = applicant_client.get(reverse("eras:programs"), {"state": "CA"}).content.decode()
    assert "Beta FM" in body
    assert "Alpha IM" not in body
    body = applicant_client.get(reverse("eras:programs"), {"fit": "met"}).content.decode()
    assert "No program matches these filters" in body


def _many(applicant, n):
    for i in range(n):
        add_program(
            applicant,
            acgme_id=f"14036{i:05d}",
            name=f"Program {i:03d}",
            requirements=[req("step2_min", "230"), req("usce_months", "3")],
        )


def test_program_list_queries_do_not_grow_with_targets(
    applicant_client, applicant, django_assert_num_queries
):
    _many(applicant, 3)
    url = reverse("eras:programs")
    applicant_client.get(url)  # warm session/provider caches
    with django_assert_num_queries(QUERIES_LIST) as ctx:
        applicant_client.get(url)
    few = len(ctx.captured_queries)
    _many_more = [
        add_program(applicant, acgme_id=f"14037{i:05d}", name=f"More {i}") for i in range(30)
    ]
    with django_assert_num_queries(few):
        response = applicant_client.get(url, {"page": 2})
    assert response.status_code == 200


QUERIES_LIST = 9


def test_api_crud_and_import(applicant_client, applicant):
    created = applicant_client.post(
        "/api/v1/me/programs",
        {
            "acgme_id": "1403500401",
            "name": "API IM",
            "specialty": "140",
            "state": "NY",
            "requirements": [{"kind": "visas", "value": "j1", "strictness": "strict"}],
            "signal": "gold",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["signal"] == "gold"
    assert body["fit"][0]["kind"] == "visas"
    dup = applicant_client.post(
        "/api/v1/me/programs",
        {"acgme_id": "1403500401", "name": "API IM", "specialty": "140"},
        content_type="application/json",
    )
    assert (dup.status_code, dup.json()["code"]) == (409, "already_exists")
    bad = applicant_client.post(
        "/api/v1/me/programs",
        {"acgme_id": "12", "name": "x", "specialty": "140"},
        content_type="application/json",
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "validation_error")
    tid = body["id"]
    patched = applicant_client.patch(
        f"/api/v1/me/programs/{tid}", {"status": "applied"}, content_type="application/json"
    )
    assert patched.json()["status"] == "applied"
    imported = applicant_client.post(
        "/api/v1/me/programs/import",
        {"file": SimpleUploadedFile("p.csv", CSV.encode(), "text/csv")},
    )
    assert imported.json()["created"] == 2
    assert imported.json()["errors"][0]["row"] == 3
    listed = applicant_client.get("/api/v1/me/programs").json()
    assert (listed["count"], len(listed["items"])) == (3, 3)
    assert applicant_client.delete(f"/api/v1/me/programs/{tid}").status_code == 204
    readiness = applicant_client.get("/api/v1/me/eras/readiness").json()
    kinds = {i["kind"] for i in readiness["items"]}
    assert {"step2ck", "ecfmg", "usce", "letters", "statement"} <= kinds


def test_readiness_page_links_each_gap(applicant_client, applicant):
    add_program(applicant)
    body = applicant_client.get(reverse("eras:readiness")).content.decode()
    assert reverse("accounts:profile") in body
    assert reverse("letters:request-list") in body
    assert reverse("statements:list") in body
    assert "Internal Medicine" in body


def _bulk(applicant, n, offset):
    from matchway.eras.models import ProgramRequirement
    from matchway.eras.services.programs import current_season

    programs = Program.objects.bulk_create(
        Program(owner=applicant, acgme_id=f"14{offset + i:08d}", name=f"P{i}", specialty_id="140")
        for i in range(n)
    )
    ProgramRequirement.objects.bulk_create(
        ProgramRequirement(program=p, kind="usce_months", value="3") for p in programs
    )
    ProgramTarget.objects.bulk_create(
        ProgramTarget(applicant=applicant, program=p, season=current_season()) for p in programs
    )


def test_program_list_with_300_targets_keeps_the_same_queries(
    applicant_client, applicant, django_assert_num_queries
):
    _bulk(applicant, 3, 0)
    url = reverse("eras:programs")
    applicant_client.get(url)
    with django_assert_num_queries(QUERIES_LIST):
        applicant_client.get(url)
    _bulk(applicant, 297, 3)
    with django_assert_num_queries(QUERIES_LIST):
        response = applicant_client.get(url, {"fit": "not_met", "page": 12})
    assert response.status_code == 200
    assert "Page 12 of 12" in response.content.decode()


def test_coordinator_curates_and_applicant_copies_through_the_pages(
    coordinator_client, applicant_client, applicant
):
    response = coordinator_client.post(
        reverse("eras:shared-add"),
        {
            "acgme_id": "1403500501",
            "name": "Shared Harbor IM",
            "specialty": "140",
            "position_type": "categorical",
            "state": "NY",
            "req_visas_value": "j1",
            "req_visas_strictness": "strict",
            "req_visas_source_url": "https://example.org/harbor",
        },
    )
    assert response.status_code == 302
    shared = Program.objects.get(owner__isnull=True)
    body = applicant_client.get(reverse("eras:shared-list")).content.decode()
    assert "Shared Harbor IM" in body
    assert "https://example.org/harbor" in body
    response = applicant_client.post(reverse("eras:shared-copy", args=[shared.pk]))
    assert response.status_code == 302
    copy = Program.objects.get(owner=applicant)
    assert copy.requirements.get().source_url == "https://example.org/harbor"
    body = applicant_client.get(reverse("eras:shared-list")).content.decode()
    assert "Already in your list." in body
    # Applicants cannot add to the shared list.
    assert applicant_client.get(reverse("eras:shared-add")).status_code == 403


def test_shared_list_queries_are_pinned(coordinator, applicant_client, django_assert_num_queries):
    from matchway.eras.services.programs import shared_program_create

    from .factories_programs import program_input

    for i in range(3):
        shared_program_create(
            actor=coordinator,
            data=program_input(acgme_id=f"14038{i:05d}", requirements=[req("visas", "j1")]),
        )
    url = reverse("eras:shared-list")
    applicant_client.get(url)
    with django_assert_num_queries(QUERIES_SHARED):
        applicant_client.get(url)
    for i in range(3, 20):
        shared_program_create(actor=coordinator, data=program_input(acgme_id=f"14038{i:05d}"))
    with django_assert_num_queries(QUERIES_SHARED):
        applicant_client.get(url)


QUERIES_SHARED = 6
