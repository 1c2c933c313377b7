from django.urls import URLPattern, URLResolver, path

from .urls_money import urlpatterns as money_urlpatterns
from .views import applicant, arrival, calendar, catalog, coordinator, preceptor, review

app_name = "rotations"

# Fixed prefixes first; the `<slug>` page is last so a slug cannot shadow them
# (services.catalog refuses RESERVED_SLUGS).
urlpatterns: list[URLPattern | URLResolver] = [
    path("", catalog.catalog, name="catalog"),
    # applicant
    path("sessions/<int:session_id>/apply/", applicant.apply, name="apply"),
    path("applications/", applicant.application_list, name="applications"),
    path("applications/<int:pk>/", applicant.application_detail, name="application"),
    path(
        "applications/<int:pk>/withdraw/",
        applicant.application_withdraw_view,
        name="application-withdraw",
    ),
    path("applications/<int:pk>/calendar.ics", calendar.application_ics, name="application-ics"),
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/revoke/", calendar.calendar_revoke, name="calendar-revoke"),
    # preceptor
    path("teaching/", preceptor.session_list, name="teaching"),
    path("teaching/<int:pk>/", preceptor.session_detail, name="teaching-session"),
    path(
        "teaching/documents/<int:pk>/download/",
        preceptor.document_download,
        name="teaching-document",
    ),
    # coordinator: catalog management
    path("manage/", coordinator.workspace, name="manage"),
    path("manage/capacity/", coordinator.capacity_calendar, name="manage-capacity"),
    path("manage/sites/", coordinator.site_list, name="manage-sites"),
    path("manage/sites/new/", coordinator.site_edit, name="manage-site-create"),
    path("manage/sites/<int:pk>/", coordinator.site_edit, name="manage-site-edit"),
    path("manage/rotations/", coordinator.rotation_list, name="manage-rotations"),
    path("manage/rotations/new/", coordinator.rotation_edit, name="manage-rotation-create"),
    path("manage/rotations/preview/", coordinator.markdown_preview, name="manage-preview"),
    path("manage/rotations/<int:pk>/", coordinator.rotation_manage, name="manage-rotation"),
    path("manage/rotations/<int:pk>/edit/", coordinator.rotation_edit, name="manage-rotation-edit"),
    path(
        "manage/rotations/<int:pk>/arrival/",
        arrival.rotation_arrival_edit,
        name="manage-rotation-arrival",
    ),
    path(
        "manage/rotations/<int:pk>/publish/",
        coordinator.rotation_publish,
        name="manage-rotation-publish",
    ),
    path(
        "manage/rotations/<int:pk>/sessions/",
        coordinator.session_create_view,
        name="manage-session-create",
    ),
    path(
        "manage/rotations/<int:pk>/series/",
        coordinator.session_series_view,
        name="manage-session-series",
    ),
    path("manage/sessions/<int:pk>/", coordinator.session_manage, name="manage-session"),
    path(
        "manage/sessions/<int:pk>/arrival/",
        arrival.session_arrival_edit,
        name="manage-session-arrival",
    ),
    path(
        "manage/sessions/<int:pk>/capacity/",
        coordinator.session_capacity,
        name="manage-session-capacity",
    ),
    path(
        "manage/sessions/<int:pk>/status/",
        coordinator.session_status,
        name="manage-session-status",
    ),
    path(
        "manage/sessions/<int:pk>/cancel/",
        coordinator.session_cancel_view,
        name="manage-session-cancel",
    ),
    path(
        "manage/sessions/<int:pk>/roster.csv",
        coordinator.session_roster_csv,
        name="manage-session-csv",
    ),
    # coordinator: review
    path("manage/applications/", review.queue, name="review-queue"),
    path("manage/applications/export.csv", review.queue_csv, name="review-queue-csv"),
    path("manage/applications/bulk/", review.queue_bulk, name="review-bulk"),
    path("manage/applications/<int:pk>/", review.review, name="review"),
    path("manage/applications/<int:pk>/decide/", review.review_decide, name="review-decide"),
    path("manage/applications/<int:pk>/payment/", review.review_payment, name="review-payment"),
    path("manage/applications/<int:pk>/confirm/", review.review_confirm, name="review-confirm"),
    path("manage/applications/<int:pk>/extend/", review.review_extend, name="review-extend"),
    path("manage/applications/<int:pk>/progress/", review.review_progress, name="review-progress"),
    path("manage/applications/<int:pk>/cancel/", review.review_cancel, name="review-cancel"),
    # money: receipts, invoices, refunds, reports (urls_money.py)
    *money_urlpatterns,
    # public rotation page: keep last
    path("<slug:slug>/", catalog.detail, name="detail"),
]
