"""Account deletion: the person asks, re-authenticates, a task erases every app's part and
anonymises the account; what must stay (certificates' public facts, money, audit) stays."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from matchway.accounts.models import User
from matchway.core.models import AuditEvent
from matchway.core.privacy import pseudonym
from matchway.documents.models import Document
from matchway.experience.models import Certificate
from matchway.rotations.models import Application, Payment, PaymentReminder
from matchway.soap.models import SoapWeek

from .privacy_data import AreaData, fill_every_area

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("after_commit_now", "signing_key")]

PASSWORD = "correct-horse-battery-9"
# The certificate's signed facts name the person on purpose: they are what a program checks
# on the public verification page (docs/dev/privacy.md).
KEPT_ON_PURPOSE = {("experience.certificate", "payload")}


@pytest.fixture
def areas(reference_data: None, applicant: Any, preceptor: Any, coordinator: Any) -> AreaData:
    applicant.set_password(PASSWORD)
    applicant.save()
    return fill_every_area(applicant, preceptor, coordinator)


def _rows_mentioning(*needles: str) -> list[str]:
    """Every (table, column) whose value contains one of `needles`, across all models."""
    found = []
    for model in apps.get_models():
        for row in model._default_manager.all().values():
            for column, value in row.items():
                if (model._meta.label_lower, column) in KEPT_ON_PURPOSE:
                    continue
                text = str(value).lower()
                if any(n.lower() in text for n in needles):
                    found.append(f"{model._meta.label_lower}.{column}")
    return sorted(set(found))


def test_full_round_trip_erases_everything_personal(
    client: Client, applicant: Any, areas: AreaData, mailoutbox: list[Any]
) -> None:
    email, name, pk = applicant.email, applicant.full_name, applicant.pk
    assert _rows_mentioning(email, name), "the scan sees the data before"
    client.login(email=email, password=PASSWORD)
    assert client.get(reverse("accounts:delete")).status_code == 200

    # Re-authentication is required for the POST: a plain session login records no
    # allauth authentication, so allauth asks for the password again.
    response = client.post(reverse("accounts:delete"), {"confirm": "yes"})
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]
    assert User.objects.get(pk=pk).email == email  # nothing happened yet

    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(reverse("accounts:delete"), {"confirm": "yes"})
    assert response.status_code == 302

    user = User.objects.get(pk=pk)
    assert user.email == f"deleted-{pk}@invalid"
    assert user.full_name == "Deleted user"
    assert not user.has_usable_password()
    assert not user.is_active
    assert _rows_mentioning(email, name) == []
    assert not Document.objects.filter(owner_id=pk).exists()
    assert not SoapWeek.objects.filter(applicant_id=pk).exists()
    from matchway.eras.models import Program, ProgramTarget

    assert not ProgramTarget.objects.filter(applicant_id=pk).exists()
    assert not Program.objects.filter(owner_id=pk).exists()
    assert not areas.document.file.storage.exists(areas.document.file.name)

    # Kept: the application and its payment (money), the certificate's public facts.
    assert Application.objects.filter(pk=areas.application.pk, motivation="").exists()
    assert Payment.objects.filter(application=areas.application).count() == 1
    # Reminders are mail sent to the person, not accounting: they go.
    assert not PaymentReminder.objects.filter(application=areas.application).exists()
    certificate = Certificate.objects.get(pk=areas.certificate.pk)
    verify = Client().get(reverse("certificates:verify", args=[certificate.number]))
    assert verify.status_code == 200
    assert certificate.number.encode() in verify.content

    # Audit kept, pseudonymised; the request and the erasure are themselves audited.
    label = pseudonym(pk)
    assert not AuditEvent.objects.filter(actor_id=pk).exists()
    assert AuditEvent.objects.filter(actor_label=label, action="privacy.erasure_requested").exists()
    assert AuditEvent.objects.filter(action="privacy.erased", data__user=label).exists()


def test_without_confirmation_nothing_is_erased(client: Client, applicant: Any) -> None:
    applicant.set_password(PASSWORD)
    applicant.save()
    client.login(email=applicant.email, password=PASSWORD)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("accounts:delete"), {})
    applicant.refresh_from_db()
    assert applicant.is_active
    assert applicant.email == "alice@example.com"


def test_admin_delete_runs_the_erasure_instead_of_failing(
    areas: AreaData, applicant: Any, coordinator: Any
) -> None:
    admin = User.objects.create_superuser(email="root@example.com", password=PASSWORD)
    staff = Client()
    staff.force_login(admin)
    url = reverse("admin:accounts_user_delete", args=[applicant.pk])
    assert staff.get(url).status_code == 200
    response = staff.post(url, {"post": "yes"})
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.email == f"deleted-{applicant.pk}@invalid"
