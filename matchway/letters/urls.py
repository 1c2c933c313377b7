from django.urls import URLPattern, URLResolver, path, re_path

from .views import applicant, compose, coordinator, writer

app_name = "letters"

urlpatterns: list[URLPattern | URLResolver] = [
    # Applicant
    path("requests/", applicant.request_list, name="request-list"),
    path("requests/new/", compose.request_create, name="request-create"),
    path("requests/new/guidance/", compose.compose_guidance_partial, name="compose-guidance"),
    path("requests/new/message/", compose.compose_message_partial, name="compose-message"),
    path("requests/<int:pk>/", applicant.request_detail, name="request-detail"),
    path("requests/<int:pk>/edit/", compose.request_edit, name="request-edit"),
    path("requests/<int:pk>/send/", applicant.request_send, name="request-send"),
    path("requests/<int:pk>/withdraw/", applicant.request_withdraw, name="request-withdraw"),
    path("requests/<int:pk>/nudge/", applicant.request_nudge, name="request-nudge"),
    path("requests/<int:pk>/renew-link/", applicant.request_renew, name="request-renew"),
    path(
        "requests/<int:pk>/brag-sheet.<str:fmt>",
        applicant.request_brag_sheet,
        name="request-brag-sheet",
    ),
    path("requests/<int:pk>/letter/", applicant.request_letter, name="request-letter"),
    path("programs/", applicant.assignments, name="assignments"),
    path("programs/<int:pk>/remove/", applicant.assignment_delete, name="assignment-delete"),
    # Coordinator
    path("review/", coordinator.coordinator_list, name="coordinator-list"),
    path("review/<int:pk>/letter/", coordinator.coordinator_letter, name="coordinator-letter"),
    # Writer with a preceptor account
    path("writing/", writer.writing_list, name="writing-list"),
    path("writing/<int:pk>/", writer.writing_detail, name="writing-detail"),
    path(
        "writing/<int:pk>/brag-sheet.<str:fmt>",
        writer.writing_brag_sheet,
        name="writing-brag-sheet",
    ),
    path(
        "writing/<int:pk>/attachments/<int:document_pk>/",
        writer.writing_attachment,
        name="writing-attachment",
    ),
    path("writing/<int:pk>/letter/", writer.writing_letter, name="writing-letter"),
    # Writer through the secret link (no account)
    path("write/<str:token>/", writer.write, name="write"),
    path(
        "write/<str:token>/brag-sheet.<str:fmt>",
        writer.write_brag_sheet,
        name="write-brag-sheet",
    ),
    path(
        "write/<str:token>/attachments/<int:document_pk>/",
        writer.write_attachment,
        name="write-attachment",
    ),
    path("write/<str:token>/letter/", writer.write_letter, name="write-letter"),
    # Anything else under write/ gets the same neutral page as a bad link.
    re_path(r"^write/(?P<rest>.*)$", writer.write_other, name="write-other"),
]
