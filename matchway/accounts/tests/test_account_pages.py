"""The django-allauth pages in Matchway's layout and words (issue #17): a narrow centred
form, the provider's real contact, "resend verification email" and "change email" on the
check-your-inbox page, and a two-factor page that explains itself."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from matchway.accounts.models import User
from matchway.core.models import AuditEvent
from matchway.organization.models import Organization

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-secure-pass-42"


@pytest.fixture
def provider() -> Organization:
    cache.clear()
    return Organization.objects.create(
        name="Harbor Clinical Education",
        contact_email="help@harbor.example",
        phone="+1 617 555 0100",
    )


def _signup(client: Client, email: str = "nadia@exmaple.com") -> Any:
    return client.post(
        reverse("account_signup"),
        {"full_name": "Nadia Haddad", "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_sign_in_and_sign_up_pages_use_our_layout_and_contact(
    client: Client, provider: Any
) -> None:
    for name, heading in (
        ("account_login", "Your applications, documents, letters"),
        ("account_signup", "Create your account"),
        ("account_reset_password", "Reset your password"),
    ):
        html = client.get(reverse(name)).content.decode()
        assert heading in html
        assert 'class="container auth-entrance"' in html
        assert "help@harbor.example" in html and "+1 617 555 0100" in html
    login = client.get(reverse("account_login")).content.decode()
    assert "Forgot your password?" in login and 'for="id_login"' in login


def test_check_your_inbox_offers_resend_and_change(client: Client, provider: Any) -> None:
    response = _signup(client)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Resend verification email" in page and "Change email" in page
    sent = len(mail.outbox)
    # Right after the first email, allauth's rate limit holds the second; the page says so.
    again = client.post(reverse("accounts:verification-resend"), follow=True)
    assert "the newest one works" in again.content.decode() and len(mail.outbox) == sent
    cache.clear()  # a few minutes later
    client.post(reverse("accounts:verification-resend"))
    assert len(mail.outbox) == sent + 1 and mail.outbox[-1].to == ["nadia@exmaple.com"]

    # The typo is corrected: the account's address changes and the new link goes there.
    form = client.get(reverse("accounts:verification-change")).content.decode()
    assert "nadia@exmaple.com" in form
    response = client.post(reverse("accounts:verification-change"), {"email": "nadia@example.com"})
    assert response.status_code == 302
    user = User.objects.get(full_name="Nadia Haddad")
    assert user.email == "nadia@example.com"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        ("nadia@example.com", False)
    ]
    assert mail.outbox[-1].to == ["nadia@example.com"]
    assert AuditEvent.objects.filter(
        action="account.email_changed", target_id=str(user.pk)
    ).exists()


def test_change_refuses_an_address_in_use_without_saying_whose(
    client: Client, applicant: Any, provider: Any
) -> None:
    _signup(client)
    response = client.post(reverse("accounts:verification-change"), {"email": applicant.email})
    assert response.status_code == 422
    assert "Use another address, or sign in with this one." in response.content.decode()
    assert User.objects.get(full_name="Nadia Haddad").email == "nadia@exmaple.com"


def test_without_a_pending_sign_up_the_offers_explain_and_send_nothing(client: Client) -> None:
    for response in (
        client.post(reverse("accounts:verification-resend")),
        client.get(reverse("accounts:verification-change")),
    ):
        assert response.status_code == 200
        assert "Sign in with your" in response.content.decode()
    assert mail.outbox == []


def test_two_factor_page_explains_and_links_to_setup(client: Client, applicant: Any) -> None:
    client.force_login(applicant)
    html = client.get(reverse("mfa_index")).content.decode()
    assert "six-digit code" in html and "Set up two-factor sign-in" in html
    assert 'class="container auth-manage"' in html and "Email addresses" in html
