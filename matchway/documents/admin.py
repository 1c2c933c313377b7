from django.contrib import admin

from .models import Document, DocumentType

admin.site.register(
    DocumentType, list_display=["code", "name", "max_size_bytes", "expires", "valid_for_days"]
)
admin.site.register(
    Document,
    list_display=["owner", "type", "status", "created_at", "is_current"],
    readonly_fields=["sha256", "size", "content_type", "file"],
)
