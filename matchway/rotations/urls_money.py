"""Money pages under /rotations/ (receipts and invoices, refunds, refund schedule, reports).
Spliced into rotations/urls.py before the `<slug>` page (docs/dev/invoices-and-refunds.md)."""

from django.urls import URLPattern, path

from .views import money, reports

urlpatterns: list[URLPattern] = [
    path("invoices/<str:number>/", money.invoice_detail, name="invoice"),
    path("invoices/<str:number>/pdf/", money.invoice_download, name="invoice-pdf"),
    path("manage/applications/<int:pk>/refund/", money.refund, name="review-refund"),
    path(
        "manage/rotations/<int:pk>/refunds/",
        money.rotation_refunds_edit,
        name="manage-rotation-refunds",
    ),
    path("manage/reports/", reports.reports, name="manage-reports"),
    path("manage/reports/export.csv", reports.reports_csv, name="manage-reports-csv"),
]
