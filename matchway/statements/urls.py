from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "statements"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.statement_list, name="list"),
    path("new/", views.statement_create, name="create"),
    path("<int:pk>/", views.editor, name="editor"),
    path("<int:pk>/settings/", views.statement_settings, name="settings"),
    path("<int:pk>/autosave/", views.autosave, name="autosave"),
    path("<int:pk>/save/", views.save_version, name="save"),
    path("<int:pk>/normalize/", views.normalize, name="normalize"),
    path("<int:pk>/analysis/", views.analysis_status, name="analysis"),
    path("<int:pk>/versions/", views.versions, name="versions"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:pk>/versions/<int:number>/restore/", views.version_restore, name="version-restore"),
    path("<int:pk>/versions/<int:number>/invite/", views.invite, name="invite"),
    path("<int:pk>/compare/", views.compare, name="compare"),
    path("<int:pk>/duplicate/", views.duplicate, name="duplicate"),
    path("<int:pk>/archive/", views.archive, name="archive"),
    path("<int:pk>/unarchive/", views.unarchive, name="unarchive"),
    path("<int:pk>/export/", views.export, name="export"),
    path("<int:pk>/export.txt", views.export_text, name="export-text"),
    path("<int:pk>/export.pdf", views.export_pdf, name="export-pdf"),
    path("<int:pk>/reviews/", views.reviews, name="reviews"),
    path(
        "<int:pk>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path(
        "<int:pk>/invitations/<int:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "<int:pk>/comments/<int:comment_id>/resolve/",
        views.comment_resolve,
        name="comment-resolve",
    ),
    path("<int:pk>/comments/<int:comment_id>/reopen/", views.comment_reopen, name="comment-reopen"),
    # Reviewers: by secret link (no account needed) or, signed in, by invitation id.
    path("review/<str:token>/", views.review, name="review"),
    path("review/<str:token>/done/", views.review_done, name="review-done"),
    path("reviews/", views.review_requests, name="review-requests"),
    path("reviews/<int:invitation_id>/", views.review_signed_in, name="review-signed-in"),
    path(
        "reviews/<int:invitation_id>/done/",
        views.review_signed_in_done,
        name="review-signed-in-done",
    ),
]
