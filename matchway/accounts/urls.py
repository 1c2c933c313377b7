from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("consent/", views.consent_view, name="consent"),
    path("profile/delete/", views.delete_view, name="delete"),
    path("profile/export/", views.export_view, name="export"),
    path("api-tokens/", views.api_tokens, name="api-tokens"),
    path("api-tokens/<int:pk>/revoke/", views.api_token_revoke_view, name="api-token-revoke"),
    path("invitations/", views.invitations, name="invitations"),
    path(
        "invitations/<int:pk>/resend/",
        views.invitation_resend_view,
        name="invitation-resend",
    ),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person-deactivate"),
    path("people/<int:pk>/reactivate/", views.person_reactivate, name="person-reactivate"),
    path("confirm-email/resend/", views.verification_resend, name="verification-resend"),
    path("confirm-email/change/", views.verification_change, name="verification-change"),
    path("invite/<str:token>/", views.invitation_accept_view, name="invitation-accept"),
]
