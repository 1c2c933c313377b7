from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Organization, PolicyPage
from .selectors import organization_forget


@receiver([post_save, post_delete], sender=Organization, dispatch_uid="organization_forget")
@receiver([post_save, post_delete], sender=PolicyPage, dispatch_uid="policy_page_forget")
def _forget(sender: Any, **kwargs: Any) -> None:
    organization_forget()
