from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import ApiToken, ApplicantProfile, Invitation, PreceptorProfile, User
from .services import account_erase


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_active", "is_staff"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "role", "timezone")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        """'Delete' is the erasure service (the row stays, anonymised), so nothing protects
        it: the confirmation page lists only the people themselves."""
        return [str(o) for o in objs], {"users": len(objs)}, set(), []

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        account_erase(user_id=obj.pk, actor=request.user)
        self.message_user(
            request, "Erased and anonymised (see docs/dev/privacy.md).", messages.SUCCESS
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for pk in queryset.values_list("pk", flat=True):
            account_erase(user_id=pk, actor=request.user)

    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "role", "password1", "password2"),
            },
        ),
    )


admin.site.register(ApplicantProfile)
admin.site.register(PreceptorProfile)
admin.site.register(
    Invitation, list_display=["email", "role", "invited_by", "created_at", "accepted_at"]
)
admin.site.register(
    ApiToken,
    list_display=[
        "user",
        "name",
        "prefix",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "last_used_ip",
        "revoked_at",
    ],
    readonly_fields=["digest", "prefix", "last_used_ip", "recent_ips"],
)
