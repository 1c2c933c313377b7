from django.contrib import admin

from .models import Notification, NotificationDigest, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "category", "subject", "delivery", "created_at", "read_at")
    list_filter = ("category", "delivery")
    raw_id_fields = ("user", "digest")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "category", "mode", "updated_at")
    raw_id_fields = ("user",)


@admin.register(NotificationDigest)
class NotificationDigestAdmin(admin.ModelAdmin):
    list_display = ("user", "day", "sent_at", "count")
    raw_id_fields = ("user",)
