"""Demo: one conversation on the demo applicant's first application (idempotent)."""

from __future__ import annotations

from typing import Any

from django.test import override_settings

from matchway.accounts.models import User
from matchway.rotations.selectors import application_list_for_user

from .models import Thread
from .services import message_post

LINES = (
    ("applicant", "Hello! Is there parking near the hospital, or should I take the bus?"),
    (
        "coordinator",
        "There is a visitor garage on the east side; the number 12 bus stops at the door.",
    ),
)


def seed(context: dict[str, Any]) -> None:
    users: dict[str, User] = context["users"]
    applicant = users.get("applicant")
    if applicant is None:
        return
    application = application_list_for_user(user=applicant).order_by("pk").first()
    if application is None or Thread.objects.filter(application=application).exists():
        return
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for who, body in LINES:
            message_post(actor=users[who], application=application, body=body)
    context["stdout"].write("  messaging: 1 demo conversation")
