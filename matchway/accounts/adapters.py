from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from matchway.core.audit import audit_record
from matchway.core.http import client_ip

from .models import Role, User


class AccountAdapter(DefaultAccountAdapter):
    """Open sign-up always creates applicants; preceptors and coordinators are invited."""

    def save_user(self, request: HttpRequest, user: User, form: Any, commit: bool = True) -> User:
        user.full_name = form.cleaned_data.get("full_name", "").strip()
        user.role = Role.APPLICANT
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            from .services import profile_ensure

            profile_ensure(user)
            audit_record(actor=user, action="account.signed_up", target=user, request=request)
            versions = getattr(form, "consent_versions", None)
            if versions and form.cleaned_data.get("accept_policies"):
                from .consent import consent_record

                consent_record(user=user, versions=versions, request=request)
        return user

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's rate limits key on the same address as the audit log."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip
