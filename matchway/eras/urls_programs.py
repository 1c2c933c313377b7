"""`/eras/programs/…` and `/eras/readiness/`: the applicant's program list and readiness."""

from django.urls import URLPattern, path

from . import views_programs as v

urlpatterns: list[URLPattern] = [
    path("programs/", v.program_list, name="programs"),
    path("programs/new/", v.program_add_view, name="program-add"),
    path("programs/import/", v.program_import, name="program-import"),
    path("programs/export.csv", v.program_export, name="program-export"),
    path("programs/shared/", v.shared_list, name="shared-list"),
    path("programs/shared/new/", v.shared_add, name="shared-add"),
    path("programs/shared/<int:pk>/copy/", v.shared_copy, name="shared-copy"),
    path("programs/shared/<int:pk>/edit/", v.shared_edit, name="shared-edit"),
    path("programs/shared/<int:pk>/delete/", v.shared_delete, name="shared-delete"),
    path("programs/<int:pk>/", v.program_detail, name="program-detail"),
    path("programs/<int:pk>/edit/", v.program_edit, name="program-edit"),
    path("programs/<int:pk>/delete/", v.program_delete_view, name="program-delete"),
    path("programs/<int:pk>/status/", v.target_status, name="target-status"),
    path("programs/<int:pk>/signal/", v.target_signal, name="target-signal"),
    path("programs/<int:pk>/notes/", v.target_notes, name="target-notes"),
    path("programs/<int:pk>/statement/", v.target_statement, name="target-statement"),
    path("programs/<int:pk>/letters/", v.target_letter_add, name="target-letter-add"),
    path(
        "programs/<int:pk>/letters/<int:assignment_id>/remove/",
        v.target_letter_remove,
        name="target-letter-remove",
    ),
    path("readiness/", v.readiness, name="readiness"),
]
