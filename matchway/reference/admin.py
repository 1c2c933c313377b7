from django.contrib import admin

from .models import Competency, MatchOutcome, Specialty, State

admin.site.register(Specialty, list_display=["code", "name", "category", "eras_participating"])
admin.site.register(State, list_display=["code", "name"])
admin.site.register(Competency, list_display=["framework", "code", "name"])
admin.site.register(MatchOutcome, list_display=["year", "label", "specialty", "source_label"])
