from __future__ import annotations

from typing import Any

from django.conf import settings

from matchway.core.email import email_send


def certificate_context() -> dict[str, Any]:
    site = settings.SITE_URL
    return {
        "applicant_name": "Alice",
        "rotation_title": "Internal Medicine Observership",
        "number": "MW-1",
        "link": f"{site}/certificates/1/download/",
        "verify_url": f"{site}/certificates/verify/MW-1/",
    }


def send_certificate(capture: Any, *to: str) -> Any:
    """Send a `documents` email (certificate_ready) and run the on-commit callbacks."""
    with capture(execute=True):
        return email_send(to=list(to), template="certificate_ready", context=certificate_context())
