"""`/eras/` season pages: fees, signals, interviews, rank list (names in access_rules_season)."""

from django.urls import path

from . import views_interviews, views_rank, views_season

urlpatterns = [
    path("fees/", views_season.fee_estimate_page, name="fees"),
    path("signals/", views_season.signals_page, name="signals"),
    path("targets/<int:pk>/signal/", views_season.signal_set, name="signal_set"),
    path("interviews/", views_interviews.interview_list, name="interview_list"),
    path("interviews/new/", views_interviews.interview_create_view, name="interview_create"),
    path("interviews/<int:pk>/edit/", views_interviews.interview_edit, name="interview_edit"),
    path(
        "interviews/<int:pk>/delete/",
        views_interviews.interview_delete_view,
        name="interview_delete",
    ),
    path(
        "interviews/<int:pk>/thank-you/",
        views_interviews.interview_thank_you,
        name="interview_thank_you",
    ),
    path("interviews/<int:pk>.ics", views_interviews.interview_ics, name="interview_ics"),
    path("interviews.ics", views_interviews.interviews_ics, name="interviews_ics"),
    path("rank-list/", views_rank.rank_list, name="rank_list"),
    path("rank-list/<int:pk>/", views_rank.rank_list_change, name="rank_list_change"),
    path("rank-list/order/", views_rank.rank_list_order, name="rank_list_order"),
    path("rank-list/simulate/", views_rank.rank_simulation, name="rank_simulation"),
]
