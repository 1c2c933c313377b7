"""Journal: drafts and autosave, the PHI guard, sharing, comments, privacy, exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pypdf
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from matchway.core.exceptions import (
    AccessDenied,
    InvalidTransition,
    PhiDetected,
    ValidationFailed,
)
from matchway.core.models import AuditEvent
from matchway.experience.models import JournalEntry, JournalKind
from matchway.experience.services import journal as svc
from matchway.experience.services import journal_autosave as autosave_svc
from matchway.experience.services import journal_entries as entry_svc
from matchway.experience.services import journal_phi as phi_svc
from matchway.experience.tests.factories import JournalEntryFactory, completed_application
from matchway.rotations.models import Application

pytestmark = pytest.mark.django_db

PHI_TEXT = "Mr. John Smith in bed 4, MRN 12345678, called 312-555-0199."
CLEAN_TEXT = "New heart failure, day 2. Watched the team adjust diuretics."


def _draft(entry: JournalEntry, **data: str) -> dict[str, Any]:
    return {
        "data": data,
        "hours": "8",
        "entry_date": str(entry.application.session.start_date),
        "editor": autosave_svc.EditorState(revision=entry.revision, client="tab-1", generation=0),
    }


@pytest.fixture
def entry(running: Application, applicant: Any) -> JournalEntry:
    return entry_svc.journal_entry_create(
        actor=applicant, application=running, kind=JournalKind.PRE_ROUNDING
    )


# --- Drafts and autosave --------------------------------------------------------------


def test_a_new_entry_is_a_saved_draft_row(entry: JournalEntry) -> None:
    assert entry.pk and entry.is_draft
    assert entry.draft_data is not None
    assert entry.data == {}


def test_autosave_keeps_every_character_typed(entry: JournalEntry, applicant: Any) -> None:
    text = "Team: attending, 2 residents.\r\nNurse: Kim (charge) — ✓ ünïcödé"
    autosave_svc.journal_entry_autosave(actor=applicant, entry=entry, **_draft(entry, team=text))
    entry.refresh_from_db()
    assert svc.working_copy(entry).data["team"] == text.replace("\r\n", "\n")
    assert entry.data == {}  # the checked text is untouched until a save passes


@pytest.mark.postgres  # compare-and-set / constraints: prove it on both databases
def test_autosave_from_another_tab_is_a_conflict(entry: JournalEntry, applicant: Any) -> None:
    stale = _draft(entry, team="first tab")
    autosave_svc.journal_entry_autosave(
        actor=applicant,
        entry=entry,
        data={"team": "second tab"},
        hours="",
        entry_date="",
        editor=autosave_svc.EditorState(revision=entry.revision, client="tab-2", generation=0),
    )
    with pytest.raises(InvalidTransition) as conflict:
        autosave_svc.journal_entry_autosave(actor=applicant, entry=entry, **stale)
    assert not isinstance(conflict.value, autosave_svc.StaleEdit)
    entry.refresh_from_db()
    assert svc.working_copy(entry).data["team"] == "second tab"


@pytest.mark.postgres  # compare-and-set / constraints: prove it on both databases
def test_the_same_tab_racing_itself_is_not_a_conflict(entry: JournalEntry, applicant: Any) -> None:
    first = _draft(entry, team="typed")
    second = _draft(entry, team="typed more")  # left before the first answer came back
    autosave_svc.journal_entry_autosave(actor=applicant, entry=entry, **first)
    autosave_svc.journal_entry_autosave(actor=applicant, entry=entry, **second)
    entry.refresh_from_db()
    assert svc.working_copy(entry).data["team"] == "typed more"


@pytest.mark.postgres  # compare-and-set / constraints: prove it on both databases
def test_a_request_from_a_replaced_form_is_stale_not_applied(
    running: Application, applicant: Any
) -> None:
    entry = entry_svc.journal_entry_create(
        actor=applicant, application=running, kind=JournalKind.REFLECTION
    )
    typed = _draft(entry, experience=CLEAN_TEXT)
    entry = autosave_svc.journal_entry_autosave(actor=applicant, entry=entry, **typed)
    with_phi = _typed(entry, experience="Reviewed MRN 12345678 before rounds.")
    finding = svc.phi_findings(entry, with_phi.data)["experience"][0]
    entry = phi_svc.journal_phi_replace(
        actor=applicant,
        entry=entry,
        field="experience",
        start=finding.start,
        end=finding.end,
        expected=finding.text,
        revision=entry.revision,
        typed=with_phi,
    ).entry
    # The old form's pending autosave arrives after the replacement: it must not undo it.
    with pytest.raises(autosave_svc.StaleEdit):
        autosave_svc.journal_entry_autosave(actor=applicant, entry=entry, **typed)
    entry.refresh_from_db()
    assert finding.suggestion in svc.working_copy(entry).data["experience"]


def test_only_the_owner_writes(entry: JournalEntry, outsider: Any, preceptor: Any) -> None:
    for actor in (outsider, preceptor):
        with pytest.raises(AccessDenied):
            autosave_svc.journal_entry_autosave(actor=actor, entry=entry, **_draft(entry, team="x"))


# --- PHI guard ------------------------------------------------------------------------


def test_autosave_with_phi_stores_nothing_of_the_text(entry: JournalEntry, applicant: Any) -> None:
    entry = autosave_svc.journal_entry_autosave(
        actor=applicant, entry=entry, **_draft(entry, team=CLEAN_TEXT)
    )
    before = (entry.revision, entry.draft_data, entry.draft_saved_at)
    with pytest.raises(autosave_svc.DraftHeld) as held:
        autosave_svc.journal_entry_autosave(
            actor=applicant, entry=entry, **_draft(entry, team=CLEAN_TEXT, patients=PHI_TEXT)
        )
    assert held.value.code == "phi_detected"
    assert "Not saved on the server" in held.value.message
    assert "kept in this browser only" in held.value.message
    assert {"name", "mrn", "phone"} <= {f.kind for f in held.value.findings["patients"]}
    assert held.value.copy.data["patients"] == PHI_TEXT  # for the page, not the database
    entry.refresh_from_db()
    assert (entry.revision, entry.draft_data, entry.draft_saved_at) == before
    assert PHI_TEXT not in str(entry.draft_data) and "12345678" not in str(entry.data)


def test_saving_with_phi_stores_nothing_and_returns_the_typed_text(
    entry: JournalEntry, applicant: Any
) -> None:
    before = (entry.revision, entry.draft_data)
    result = autosave_svc.journal_entry_save(
        actor=applicant, entry=entry, **_draft(entry, patients=PHI_TEXT)
    )
    assert not result.saved
    kinds = {f.kind for f in result.findings["patients"]}
    assert {"name", "mrn", "phone"} <= kinds
    assert result.copy is not None and result.copy.data["patients"] == PHI_TEXT
    entry.refresh_from_db()
    assert entry.is_draft and entry.data == {}
    assert (entry.revision, entry.draft_data) == before


def _typed(entry: JournalEntry, **data: str) -> svc.WorkingCopy:
    return svc.WorkingCopy(
        data=svc.clean_data(entry.kind, data), hours=None, entry_date=entry.entry_date
    )


def test_replace_uses_the_suggestion_computed_on_the_server(
    entry: JournalEntry, applicant: Any
) -> None:
    typed = _typed(entry, patients=PHI_TEXT)
    finding = next(f for f in svc.phi_findings(entry, typed.data)["patients"])
    result = phi_svc.journal_phi_replace(
        actor=applicant,
        entry=entry,
        field="patients",
        start=finding.start,
        end=finding.end,
        expected=finding.text,
        revision=entry.revision,
        typed=typed,
    )
    text = result.copy.data["patients"]
    assert finding.text not in text and finding.suggestion in text
    assert not result.stored  # other findings remain: still nothing on the server
    entry.refresh_from_db()
    assert PHI_TEXT not in str(entry.draft_data)
    with pytest.raises(InvalidTransition):  # the page was stale: nothing replaced twice
        phi_svc.journal_phi_replace(
            actor=applicant,
            entry=entry,
            field="patients",
            start=finding.start,
            end=finding.end,
            expected=finding.text,
            revision=entry.revision,
            typed=result.copy,
        )


def test_replacing_the_last_finding_stores_the_clean_text(
    entry: JournalEntry, applicant: Any
) -> None:
    typed = _typed(entry, patients="Reviewed MRN 12345678 before rounds.")
    (finding,) = svc.phi_findings(entry, typed.data)["patients"]
    result = phi_svc.journal_phi_replace(
        actor=applicant,
        entry=entry,
        field="patients",
        start=finding.start,
        end=finding.end,
        expected=finding.text,
        revision=entry.revision,
        typed=typed,
    )
    assert result.stored
    entry.refresh_from_db()
    assert svc.working_copy(entry).data["patients"] == result.copy.data["patients"]
    assert "12345678" not in str(entry.draft_data)


@pytest.mark.postgres  # compare-and-set / constraints: prove it on both databases
def test_not_phi_is_stored_and_audited_without_the_text(
    entry: JournalEntry, applicant: Any
) -> None:
    text = "Seen with Dr. Patel, the attending, on rounds."
    typed = _typed(entry, team=text)
    finding = svc.phi_findings(entry, typed.data)["team"][0]
    result = phi_svc.journal_phi_dismiss(
        actor=applicant,
        entry=entry,
        field="team",
        kind=finding.kind,
        text=finding.text,
        revision=entry.revision,
        typed=typed,
    )
    entry = result.entry
    assert result.stored and svc.working_copy(entry).data["team"] == text
    assert {"kind": finding.kind, "text": finding.text} in [
        {"kind": d["kind"], "text": d["text"]} for d in entry.phi_dismissed
    ]
    assert svc.phi_findings(entry, svc.working_copy(entry).data) == {}
    event = AuditEvent.objects.get(action="journal.phi_dismiss")
    assert event.data["kind"] == finding.kind and event.data["field"] == "team"
    assert finding.text not in str(event.data)
    result = autosave_svc.journal_entry_save(
        actor=applicant, entry=entry, **_draft(entry, team=text) | {"editor": _editor(entry)}
    )
    assert result.saved


def test_old_drafts_with_phi_are_cleared_by_the_migration(
    running: Application, applicant: Any
) -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("matchway.experience.migrations.0003_clear_drafts_with_phi")
    dirty = JournalEntryFactory(
        application=running,
        kind=JournalKind.REFLECTION,
        data={"experience": CLEAN_TEXT},
        draft_data={"data": {"experience": PHI_TEXT}},
    )
    clean = JournalEntryFactory(
        application=running, kind=JournalKind.REFLECTION, draft_data={"data": {"fit": CLEAN_TEXT}}
    )
    migration.clear_drafts_with_phi(apps, None)
    dirty.refresh_from_db()
    clean.refresh_from_db()
    assert dirty.draft_data is None and dirty.data == {"experience": CLEAN_TEXT}
    assert clean.draft_data == {"data": {"fit": CLEAN_TEXT}}


def _editor(entry: JournalEntry) -> autosave_svc.EditorState:
    entry.refresh_from_db()
    return autosave_svc.EditorState(revision=entry.revision)


def test_findings_block_sharing(running: Application, applicant: Any) -> None:
    entry = JournalEntryFactory(
        application=running, kind=JournalKind.REFLECTION, data={"experience": PHI_TEXT}
    )
    with pytest.raises(InvalidTransition) as refused:
        entry_svc.journal_entry_share(actor=applicant, entry=entry)
    assert refused.value.message == str(svc.MSG_SHARE_FINDINGS)
    entry.refresh_from_db()
    assert not entry.shared_with_preceptor


def test_drafts_and_unsaved_changes_are_not_shared(entry: JournalEntry, applicant: Any) -> None:
    with pytest.raises(InvalidTransition, match="Save the entry"):
        entry_svc.journal_entry_share(actor=applicant, entry=entry)
    result = autosave_svc.journal_entry_save(
        actor=applicant, entry=entry, **_draft(entry, team=CLEAN_TEXT)
    )
    assert result.saved
    entry = autosave_svc.journal_entry_autosave(
        actor=applicant,
        entry=result.entry,
        **_draft(result.entry, team=CLEAN_TEXT + " More."),
    )
    with pytest.raises(InvalidTransition, match="latest changes"):
        entry_svc.journal_entry_share(actor=applicant, entry=entry)


def test_a_clean_saved_entry_is_shared_and_audited(entry: JournalEntry, applicant: Any) -> None:
    entry = autosave_svc.journal_entry_save(
        actor=applicant, entry=entry, **_draft(entry, team=CLEAN_TEXT)
    ).entry
    assert entry.data["team"] == CLEAN_TEXT and not entry.is_draft and entry.draft_data is None
    entry_svc.journal_entry_share(actor=applicant, entry=entry)
    entry.refresh_from_db()
    assert entry.shared_with_preceptor and entry.shared_at is not None
    assert AuditEvent.objects.filter(action="journal.share").exists()
    assert not AuditEvent.objects.filter(data__icontains="heart failure").exists()


def test_save_refuses_a_day_outside_the_rotation(entry: JournalEntry, applicant: Any) -> None:
    draft = _draft(entry, team=CLEAN_TEXT)
    draft["entry_date"] = "2001-01-01"
    with pytest.raises(ValidationFailed) as refused:
        autosave_svc.journal_entry_save(actor=applicant, entry=entry, **draft)
    assert "entry_date" in refused.value.errors
    entry.refresh_from_db()
    assert svc.working_copy(entry).data["team"] == CLEAN_TEXT  # kept as the draft


def test_the_journal_is_read_only_two_weeks_after_completion(
    applicant: Any, preceptor: Any
) -> None:
    recent = completed_application(applicant=applicant, ended_days_ago=3)
    assert svc.journal_is_editable(recent)
    old = completed_application(applicant=applicant, ended_days_ago=30)
    old.completed_at = timezone.now() - dt.timedelta(days=30)
    old.save()
    assert not svc.journal_is_editable(old)
    with pytest.raises(InvalidTransition):
        entry_svc.journal_entry_create(
            actor=applicant, application=old, kind=JournalKind.REFLECTION
        )


# --- Comments -------------------------------------------------------------------------


def test_preceptor_comments_on_shared_entries_only(
    running: Application, preceptor: Any, applicant: Any, outsider: Any
) -> None:
    entry = JournalEntryFactory(
        application=running, kind=JournalKind.REFLECTION, data={"experience": CLEAN_TEXT}
    )
    with pytest.raises(InvalidTransition):
        entry_svc.journal_comment_add(actor=preceptor, entry=entry, body="Nice")
    entry_svc.journal_entry_share(actor=applicant, entry=entry)
    entry_svc.journal_comment_add(actor=preceptor, entry=entry, body="Lead with the plan.")
    entry_svc.journal_comment_add(actor=applicant, entry=entry, body="Thanks, will do.")
    with pytest.raises(AccessDenied):
        entry_svc.journal_comment_add(actor=outsider, entry=entry, body="hi")
    assert entry.comments.count() == 2


def test_a_comment_with_phi_is_refused_and_not_stored(
    running: Application, preceptor: Any, applicant: Any
) -> None:
    entry = JournalEntryFactory(
        application=running, kind=JournalKind.REFLECTION, data={"experience": CLEAN_TEXT}
    )
    entry_svc.journal_entry_share(actor=applicant, entry=entry)
    with pytest.raises(PhiDetected) as refused:
        entry_svc.journal_comment_add(
            actor=preceptor, entry=entry, body="Ask Mr. John Smith (MRN 12345678) about it."
        )
    assert refused.value.code == "phi_detected" and refused.value.status == 422
    kinds = {f["kind"] for f in refused.value.extra["findings"]}  # type: ignore[union-attr]
    assert {"name", "mrn"} <= kinds and "body" in refused.value.errors
    assert entry.comments.count() == 0


# --- Pages: privacy -------------------------------------------------------------------


def test_outsider_and_coordinator_cannot_read_the_journal(
    running: Application,
    outsider_client: Client,
    coordinator_client: Client,
    preceptor_client: Client,
) -> None:
    entry = JournalEntryFactory(
        application=running, kind=JournalKind.REFLECTION, data={"experience": CLEAN_TEXT}
    )
    urls = [
        reverse("experience:journal", args=[running.pk]),
        reverse("experience:journal-entry", args=[running.pk, entry.pk]),
        reverse("experience:journal-edit", args=[running.pk, entry.pk]),
        reverse("experience:journal-summary", args=[running.pk]),
        reverse("experience:journal-export-csv", args=[running.pk]),
        reverse("experience:journal-export-pdf", args=[running.pk]),
    ]
    for url in urls:
        assert outsider_client.get(url).status_code == 404, url
        assert coordinator_client.get(url).status_code == 404, url
    # A preceptor sees the list (empty) but not an unshared entry.
    assert preceptor_client.get(urls[1]).status_code == 404
    listing = preceptor_client.get(urls[0])
    assert listing.status_code == 200 and CLEAN_TEXT.encode() not in listing.content
    coordinator_overview = coordinator_client.get(reverse("experience:overview", args=[running.pk]))
    assert CLEAN_TEXT.encode() not in coordinator_overview.content


def test_preceptor_reads_a_shared_entry_and_comments(
    running: Application, applicant: Any, preceptor_client: Client, mailoutbox: list[Any]
) -> None:
    entry = JournalEntryFactory(
        application=running, kind=JournalKind.REFLECTION, data={"experience": CLEAN_TEXT}
    )
    entry_svc.journal_entry_share(actor=applicant, entry=entry)
    url = reverse("experience:journal-entry", args=[running.pk, entry.pk])
    page = preceptor_client.get(url)
    assert page.status_code == 200 and CLEAN_TEXT.encode() in page.content
    response = preceptor_client.post(
        reverse("experience:journal-comment", args=[running.pk, entry.pk]),
        {"body": "Good reflection."},
    )
    assert response.status_code == 302
    assert b"Good reflection." in preceptor_client.get(url).content
    assert (
        preceptor_client.get(
            reverse("experience:journal-edit", args=[running.pk, entry.pk])
        ).status_code
        == 404
    )


# --- Pages: editor --------------------------------------------------------------------


def test_new_entry_then_edit_page(running: Application, applicant_client: Client) -> None:
    url = reverse("experience:journal-new", args=[running.pk, JournalKind.PRE_ROUNDING])
    # Choosing a kind shows its questions and stores nothing.
    start = applicant_client.get(url)
    assert start.status_code == 200
    assert "Who is on the team today?" in start.content.decode()
    assert not JournalEntry.objects.filter(application=running).exists()
    # Submitting without typing anything stores nothing either.
    empty = applicant_client.post(url, {"entry_date": str(running.session.start_date)})
    assert empty.status_code == 422
    assert "Type something first" in empty.content.decode()
    assert not JournalEntry.objects.filter(application=running).exists()
    # The first text creates the entry with it as the draft; the editor takes over.
    response = applicant_client.post(
        url, {"entry_date": str(running.session.start_date), "f_team": CLEAN_TEXT}
    )
    entry = JournalEntry.objects.get(application=running)
    assert entry.is_draft and entry.draft_data["data"]["team"] == CLEAN_TEXT
    assert response["Location"] == reverse("experience:journal-edit", args=[running.pk, entry.pk])
    page = applicant_client.get(response["Location"]).content.decode()
    assert "Who is on the team today?" in page
    assert 'hx-post="' + reverse("experience:journal-autosave", args=[running.pk, entry.pk]) in page
    assert "data-autosave" in page


def test_new_entry_with_phi_stores_none_of_the_text(
    running: Application, applicant_client: Client
) -> None:
    url = reverse("experience:journal-new", args=[running.pk, JournalKind.PRE_ROUNDING])
    response = applicant_client.post(
        url, {"entry_date": str(running.session.start_date), "f_patients": PHI_TEXT}
    )
    assert response.status_code == 200
    assert "possible patient identifier" in response.content.decode()
    entry = JournalEntry.objects.get(application=running)
    assert "12345678" not in str(entry.draft_data) and "12345678" not in str(entry.data)


def test_journal_list_previews_each_entry(running: Application, applicant_client: Client) -> None:
    url = reverse("experience:journal-new", args=[running.pk, JournalKind.REFLECTION])
    long_text = "Watched a family meeting about goals of care. " * 8
    applicant_client.post(
        url, {"entry_date": str(running.session.start_date), "f_experience": long_text}
    )
    page = applicant_client.get(reverse("experience:journal", args=[running.pk])).content.decode()
    assert "Watched a family meeting about goals of care." in page
    assert "…" in page and long_text.strip() not in page


def _form(entry: JournalEntry, **fields: str) -> dict[str, str]:
    entry.refresh_from_db()
    data = {
        "entry_date": str(entry.application.session.start_date),
        "hours": "8",
        "revision": str(entry.revision),
        "client": "tab-1",
        "generation": str(entry.revision),
    }
    data.update({f"f_{k}": v for k, v in fields.items()})
    return data


def test_autosave_endpoint_answers_with_status_and_live_review(
    entry: JournalEntry, applicant_client: Client
) -> None:
    url = reverse("experience:journal-autosave", args=[entry.application_id, entry.pk])
    response = applicant_client.post(url, _form(entry, team=CLEAN_TEXT), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Draft saved at" in body
    assert 'id="journal-revision"' in body and 'hx-swap-oob="true"' in body


def test_autosave_endpoint_with_phi_stores_nothing_and_says_so(
    entry: JournalEntry, applicant_client: Client
) -> None:
    url = reverse("experience:journal-autosave", args=[entry.application_id, entry.pk])
    before = (entry.revision, entry.draft_data)
    response = applicant_client.post(url, _form(entry, patients=PHI_TEXT), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Draft saved" not in body
    assert "Not saved on the server: possible patient identifiers" in body
    assert "kept in this browser only" in body and "data-draft-held" in body
    assert '<mark class="phi-mark"' in body
    entry.refresh_from_db()
    assert (entry.revision, entry.draft_data) == before


def test_a_conflicting_autosave_says_why_and_changes_nothing(
    entry: JournalEntry, applicant_client: Client
) -> None:
    url = reverse("experience:journal-autosave", args=[entry.application_id, entry.pk])
    stale = _form(entry, team="old")
    stale["client"] = "tab-A"
    fresh = _form(entry, team="new")
    fresh["client"] = "tab-B"
    assert applicant_client.post(url, fresh, HTTP_HX_REQUEST="true").status_code == 200
    response = applicant_client.post(url, stale, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert b"changed in another window" in response.content
    entry.refresh_from_db()
    assert svc.working_copy(entry).data["team"] == "new"


def test_saving_with_findings_shows_marks_and_keeps_the_text(
    entry: JournalEntry, applicant_client: Client
) -> None:
    url = reverse("experience:journal-edit", args=[entry.application_id, entry.pk])
    response = applicant_client.post(url, _form(entry, patients=PHI_TEXT))
    assert response.status_code == 200
    page = response.content.decode()
    assert "possible patient identifiers" in page
    assert '<mark class="phi-mark"' in page and "Replace" in page and "Not PHI" in page
    assert "bed 4" in page  # the text stays in the form
    assert "kept in this browser only" in page
    entry.refresh_from_db()
    assert "12345678" not in str(entry.draft_data)  # ... and only there


def test_replace_endpoint_returns_the_editor_partial(
    entry: JournalEntry, applicant_client: Client
) -> None:
    finding = svc.phi_findings(entry, {"patients": PHI_TEXT})["patients"][0]
    response = applicant_client.post(
        reverse("experience:journal-phi-replace", args=[entry.application_id, entry.pk]),
        {
            **_form(entry, patients=PHI_TEXT),
            "field": "patients",
            "start": finding.start,
            "end": finding.end,
            "expected": finding.text,
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="journal-editor">')
    assert finding.suggestion in body and "kept in this browser only" in body
    entry.refresh_from_db()
    assert "12345678" not in str(entry.draft_data)  # findings remain: nothing stored


def test_not_phi_endpoint_stores_and_returns_the_editor_partial(
    entry: JournalEntry, applicant_client: Client
) -> None:
    text = "Seen with Dr. Patel, the attending, on rounds."
    finding = svc.phi_findings(entry, {"team": text})["team"][0]
    response = applicant_client.post(
        reverse("experience:journal-phi-dismiss", args=[entry.application_id, entry.pk]),
        {**_form(entry, team=text), "field": "team", "kind": finding.kind, "text": finding.text},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="journal-editor">')
    entry.refresh_from_db()
    assert svc.working_copy(entry).data["team"] == text  # no finding left: stored
    assert svc.phi_findings(entry, svc.working_copy(entry).data) == {}


def test_a_refused_phi_action_warns_over_the_editor(
    entry: JournalEntry, applicant_client: Client
) -> None:
    response = applicant_client.post(
        reverse("experience:journal-phi-replace", args=[entry.application_id, entry.pk]),
        {
            **_form(entry, patients=PHI_TEXT),
            "field": "patients",
            "start": "0",
            "end": "3",
            "expected": "not what is there",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]


def test_clean_save_redirects_to_the_entry(entry: JournalEntry, applicant_client: Client) -> None:
    url = reverse("experience:journal-edit", args=[entry.application_id, entry.pk])
    response = applicant_client.post(url, _form(entry, team=CLEAN_TEXT))
    assert response["Location"] == reverse(
        "experience:journal-entry", args=[entry.application_id, entry.pk]
    )
    entry.refresh_from_db()
    assert entry.data["team"] == CLEAN_TEXT and not entry.is_draft


def test_share_button_flow(entry: JournalEntry, applicant: Any, applicant_client: Client) -> None:
    autosave_svc.journal_entry_save(actor=applicant, entry=entry, **_draft(entry, team=CLEAN_TEXT))
    url = reverse("experience:journal-share", args=[entry.application_id, entry.pk])
    applicant_client.post(url, {"action": "share"})
    entry.refresh_from_db()
    assert entry.shared_with_preceptor
    applicant_client.post(url, {"action": "unshare"})
    entry.refresh_from_db()
    assert not entry.shared_with_preceptor


# --- Summary and exports --------------------------------------------------------------


def test_summary_counts_cases_skills_and_hours(
    running: Application, applicant_client: Client
) -> None:
    start = running.session.start_date
    JournalEntryFactory(
        application=running,
        kind=JournalKind.CASE_LOG,
        entry_date=start,
        data={"diagnosis": "cardiovascular", "procedures": "ECG interpretation, Knee exam"},
    )
    JournalEntryFactory(
        application=running,
        kind=JournalKind.CASE_LOG,
        entry_date=start + dt.timedelta(days=8),
        data={"diagnosis": "cardiovascular", "procedures": "ecg interpretation"},
    )
    page = applicant_client.get(reverse("experience:journal-summary", args=[running.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "ECG interpretation" in body and "ecg interpretation" not in body
    assert "Cardiovascular" in body
    assert "16.0" in body  # hours logged


def test_csv_export_neutralizes_formulas(running: Application, applicant_client: Client) -> None:
    JournalEntryFactory(
        application=running,
        kind=JournalKind.REFLECTION,
        data={"experience": '=HYPERLINK("http://evil")', "feedback": "+1 good", "fit": "ok"},
    )
    response = applicant_client.get(reverse("experience:journal-export-csv", args=[running.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://evil")' in cells
    assert "'+1 good" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert AuditEvent.objects.filter(action="journal.export").exists()


def test_pdf_export_prints_saved_entries(running: Application, applicant_client: Client) -> None:
    JournalEntryFactory(
        application=running, kind=JournalKind.REFLECTION, data={"experience": CLEAN_TEXT}
    )
    response = applicant_client.get(reverse("experience:journal-export-pdf", args=[running.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Watched the team adjust diuretics." in text


def test_journal_list_query_count_does_not_grow(
    running: Application, applicant_client: Client, django_assert_max_num_queries: Any
) -> None:
    url = reverse("experience:journal", args=[running.pk])
    JournalEntryFactory(application=running)
    applicant_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        applicant_client.get(url)
    for _ in range(5):
        JournalEntryFactory(application=running)
    with django_assert_max_num_queries(len(one.captured_queries)):
        applicant_client.get(url)
