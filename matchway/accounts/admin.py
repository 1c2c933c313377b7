from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ApiToken, ApplicantProfile, Invitation, PreceptorProfile, User


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
    list_display=["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"],
    readonly_fields=["digest", "prefix"],
)
