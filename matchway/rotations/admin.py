from django.contrib import admin

from .models import (
    Application,
    ApplicationEvent,
    Payment,
    Rotation,
    RotationSession,
    Site,
)

admin.site.register(Site, list_display=["name", "kind", "city", "state"])
admin.site.register(Rotation, list_display=["title", "specialty", "kind", "site", "published"])
admin.site.register(RotationSession, list_display=["rotation", "start_date", "capacity", "status"])
admin.site.register(Application, list_display=["applicant", "session", "status", "submitted_at"])
admin.site.register(
    ApplicationEvent, list_display=["application", "from_status", "to_status", "created_at"]
)
admin.site.register(Payment, list_display=["application", "amount_cents", "method", "recorded_at"])
