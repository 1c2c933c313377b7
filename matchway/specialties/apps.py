from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpecialtiesConfig(AppConfig):
    name = "matchway.specialties"
    label = "specialties"
    verbose_name = _("Specialty explorer")
