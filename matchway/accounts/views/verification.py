"""The "check your inbox" page's two offers (issue #17): send the link again, and correct a
mistyped address. Both act only on the sign-up or sign-in waiting in this browser session
for its address to be confirmed (allauth's pending login); without one they explain how
to get a new link by signing in, and never say whether an address has an account."""

from __future__ import annotations

from allauth.account.internal.flows.email_verification import (
    send_verification_email_to_address,
)
from allauth.account.internal.stagekit import unstash_login
from allauth.account.models import EmailAddress
from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from matchway.accounts.models import User
from matchway.core.audit import audit_record

NO_PENDING = gettext_lazy(
    "This browser has no address waiting for confirmation any more. Sign in with your "
    "address and password: if the address still needs confirming, we send a new link."
)


def _pending_address(request: HttpRequest) -> EmailAddress | None:
    """The unconfirmed address of the sign-in waiting in this session, if any."""
    if request.user.is_authenticated:
        return None
    login = unstash_login(request, peek=True)
    if login is None or login.user is None:
        return None
    return (
        EmailAddress.objects.filter(user_id=login.user.pk, verified=False)
        .order_by("-primary")
        .first()
    )


def _no_pending(request: HttpRequest) -> HttpResponse:
    return render(request, "account/verification_none.html", {"text": NO_PENDING})


@require_POST
def verification_resend(request: HttpRequest) -> HttpResponse:
    address = _pending_address(request)
    if address is None:
        return _no_pending(request)
    if not send_verification_email_to_address(request, address):
        messages.info(
            request,
            _("A link was sent a moment ago; the newest one works. Try again in a few minutes."),
        )
    return redirect("account_email_verification_sent")


class ChangeAddressForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Correct email address"),
        max_length=254,
        help_text=gettext_lazy("We send a new confirmation link there; the old one stops working."),
    )


def verification_change(request: HttpRequest) -> HttpResponse:
    address = _pending_address(request)
    if address is None:
        return _no_pending(request)
    form = ChangeAddressForm(request.POST or None, initial={"email": address.email})
    if request.method == "POST" and form.is_valid():
        new = form.cleaned_data["email"].strip().lower()
        if new == address.email.lower():
            return redirect("account_email_verification_sent")
        if EmailAddress.objects.filter(email__iexact=new).exists() or (
            User.objects.filter(email__iexact=new).exists()
        ):
            # Do not tell which addresses have accounts: same answer, no email sent here.
            form.add_error("email", _("Use another address, or sign in with this one."))
        else:
            user = address.user
            with transaction.atomic():
                EmailAddress.objects.filter(user=user, verified=False).delete()
                user.email = new
                user.save(update_fields=["email"])
                address = EmailAddress.objects.create(
                    user=user, email=new, primary=True, verified=False
                )
                audit_record(
                    actor=None,
                    action="account.email_changed",
                    target=user,
                    data={"before_confirmation": True},
                    request=request,
                )
            send_verification_email_to_address(request, address)
            return redirect("account_email_verification_sent")
    return render(
        request,
        "account/verification_change.html",
        {"form": form, "current": address.email},
        status=422 if form.errors else 200,
    )
