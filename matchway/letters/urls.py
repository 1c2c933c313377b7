from django.urls import URLPattern, URLResolver, path, re_path

from . import views, views_writer

app_name = "letters"

urlpatterns: list[URLPattern | URLResolver] = [
    # Applicant
    path("requests/", views.request_list, name="request-list"),
    path("requests/new/", views.request_create, name="request-create"),
    path("requests/new/guidance/", views.compose_guidance_partial, name="compose-guidance"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    path("requests/<int:pk>/edit/", views.request_edit, name="request-edit"),
    path("requests/<int:pk>/send/", views.request_send, name="request-send"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request-withdraw"),
    path("requests/<int:pk>/nudge/", views.request_nudge, name="request-nudge"),
    path("requests/<int:pk>/renew-link/", views.request_renew, name="request-renew"),
    path(
        "requests/<int:pk>/brag-sheet.<str:fmt>",
        views.request_brag_sheet,
        name="request-brag-sheet",
    ),
    path("requests/<int:pk>/letter/", views.request_letter, name="request-letter"),
    path("programs/", views.assignments, name="assignments"),
    path("programs/<int:pk>/remove/", views.assignment_delete, name="assignment-delete"),
    # Coordinator
    path("review/", views.coordinator_list, name="coordinator-list"),
    path("review/<int:pk>/letter/", views.coordinator_letter, name="coordinator-letter"),
    # Writer with a preceptor account
    path("writing/", views_writer.writing_list, name="writing-list"),
    path("writing/<int:pk>/", views_writer.writing_detail, name="writing-detail"),
    path(
        "writing/<int:pk>/brag-sheet.<str:fmt>",
        views_writer.writing_brag_sheet,
        name="writing-brag-sheet",
    ),
    path(
        "writing/<int:pk>/attachments/<int:document_pk>/",
        views_writer.writing_attachment,
        name="writing-attachment",
    ),
    path("writing/<int:pk>/letter/", views_writer.writing_letter, name="writing-letter"),
    # Writer through the secret link (no account)
    path("write/<str:token>/", views_writer.write, name="write"),
    path(
        "write/<str:token>/brag-sheet.<str:fmt>",
        views_writer.write_brag_sheet,
        name="write-brag-sheet",
    ),
    path(
        "write/<str:token>/attachments/<int:document_pk>/",
        views_writer.write_attachment,
        name="write-attachment",
    ),
    path("write/<str:token>/letter/", views_writer.write_letter, name="write-letter"),
    # Anything else under write/ gets the same neutral page as a bad link.
    re_path(r"^write/(?P<rest>.*)$", views_writer.write_other, name="write-other"),
]
