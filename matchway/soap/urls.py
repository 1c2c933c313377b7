"""`/soap/`: the real Match Week cockpit, and the same pages under `/soap/drill/` for a drill
(`drill=True` picks the drill week; names start with `drill-`)."""

from django.urls import path

from . import views, views_drill

app_name = "soap"

SHARED = [
    ("list/", views.list_page, "list"),
    ("list/import/", views.list_import, "list-import"),
    ("list/delete/", views.list_delete, "list-delete"),
    ("result/", views.result_set, "result"),
    ("applications/", views.applications, "applications"),
    ("applications/add/", views.applications_add, "applications-add"),
    ("applications/send/", views.applications_send, "applications-send"),
    ("applications/<int:pk>/documents/", views.application_documents, "application-documents"),
    ("offers/", views.offers, "offers"),
    ("offers/record/", views.offer_record, "offer-record"),
    ("offers/<int:pk>/answer/", views.offer_answer, "offer-answer"),
    ("export/<str:fmt>/", views_drill.export, "export"),
]

urlpatterns = [
    path("", views.index, name="index"),
    path("drill/", views.index, {"drill": True}, name="drill"),
    path("drill/start/", views_drill.drill_start, {"drill": True}, name="drill-start"),
    path("drill/advance/", views_drill.drill_advance, {"drill": True}, name="drill-advance"),
    path("drill/finish/", views_drill.drill_finish, {"drill": True}, name="drill-finish"),
    *[path(route, view, name=name) for route, view, name in SHARED],
    *[
        path(f"drill/{route}", view, {"drill": True}, name=f"drill-{name}")
        for route, view, name in SHARED
    ],
]
