"""Rotation experience pages, mounted at /experience/ (journal, attendance, evaluations,
ERAS drafts). Certificates live under /certificates/ (urls_certificates.py)."""

from django.urls import URLPattern, URLResolver, path

from matchway.experience.views import attendance, eras, evaluations, hub, journal

app_name = "experience"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", hub.index, name="index"),
    path("<int:application_id>/", hub.overview, name="overview"),
    # Journal
    path("<int:application_id>/journal/", journal.journal_list, name="journal"),
    path("<int:application_id>/journal/new/<str:kind>/", journal.journal_new, name="journal-new"),
    path(
        "<int:application_id>/journal/summary/",
        journal.journal_summary_view,
        name="journal-summary",
    ),
    path(
        "<int:application_id>/journal/export.csv",
        journal.journal_export_csv,
        name="journal-export-csv",
    ),
    path(
        "<int:application_id>/journal/export.pdf",
        journal.journal_export_pdf,
        name="journal-export-pdf",
    ),
    path(
        "<int:application_id>/journal/<int:entry_id>/",
        journal.journal_entry,
        name="journal-entry",
    ),
    path(
        "<int:application_id>/journal/<int:entry_id>/edit/",
        journal.journal_edit,
        name="journal-edit",
    ),
    path(
        "<int:application_id>/journal/<int:entry_id>/autosave/",
        journal.journal_autosave,
        name="journal-autosave",
    ),
    path(
        "<int:application_id>/journal/<int:entry_id>/phi/replace/",
        journal.journal_phi_replace,
        name="journal-phi-replace",
    ),
    path(
        "<int:application_id>/journal/<int:entry_id>/phi/dismiss/",
        journal.journal_phi_dismiss,
        name="journal-phi-dismiss",
    ),
    path(
        "<int:application_id>/journal/<int:entry_id>/share/",
        journal.journal_share,
        name="journal-share",
    ),
    path(
        "<int:application_id>/journal/<int:entry_id>/comment/",
        journal.journal_comment,
        name="journal-comment",
    ),
    path(
        "<int:application_id>/journal/<int:entry_id>/delete/",
        journal.journal_delete,
        name="journal-delete",
    ),
    # Attendance
    path("<int:application_id>/attendance/", attendance.attendance, name="attendance"),
    # Evaluations
    path("<int:application_id>/evaluations/", evaluations.evaluation_list, name="evaluations"),
    path(
        "<int:application_id>/evaluations/self/",
        evaluations.self_assessment,
        name="self-assessment",
    ),
    path(
        "<int:application_id>/evaluations/request/",
        evaluations.evaluation_request_external,
        name="evaluation-request-external",
    ),
    path(
        "<int:application_id>/evaluations/ask-preceptors/",
        evaluations.evaluation_request_preceptors,
        name="evaluation-request-preceptors",
    ),
    path("evaluations/pending/", evaluations.evaluations_pending, name="evaluations-pending"),
    path("evaluations/<int:evaluation_id>/", evaluations.evaluation_edit, name="evaluation-edit"),
    path(
        "evaluations/<int:evaluation_id>/addendum/",
        evaluations.evaluation_addendum,
        name="evaluation-addendum",
    ),
    path(
        "evaluations/<int:evaluation_id>/remind/",
        evaluations.evaluation_remind,
        name="evaluation-remind",
    ),
    path("evaluate/<str:token>/", evaluations.evaluation_external, name="evaluation-external"),
    # ERAS experience draft
    path("<int:application_id>/eras/", eras.eras_draft, name="eras-draft"),
    path("<int:application_id>/eras/generate/", eras.eras_generate, name="eras-generate"),
    path("<int:application_id>/eras/export.txt", eras.eras_export, name="eras-export"),
    path(
        "<int:application_id>/eras/versions/<int:number>/",
        eras.eras_version,
        name="eras-version",
    ),
    path(
        "<int:application_id>/eras/versions/<int:number>/restore/",
        eras.eras_restore,
        name="eras-restore",
    ),
]
