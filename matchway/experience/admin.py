from django.contrib import admin

from .models import Certificate, Evaluation, JournalEntry

admin.site.register(JournalEntry, list_display=["application", "kind", "entry_date"])
admin.site.register(Evaluation, list_display=["application", "kind", "phase", "submitted_at"])
admin.site.register(Certificate, list_display=["number", "application", "issued_at", "revoked_at"])
