from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows import reauthentication
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchway.core.audit import audit_record
from matchway.core.decorators import role_required
from matchway.core.exceptions import InvalidTransition, ValidationFailed
from matchway.core.forms import form_add_errors

from ..auth import current_user, second_factor_needed
from ..forms import (
    ApiTokenForm,
    ApplicantProfileForm,
    InvitationAcceptForm,
    InvitationForm,
    PreceptorProfileForm,
    UserSettingsForm,
)
from ..models import ApiToken, ApplicantProfile, Invitation, PreceptorProfile, Role, User
from ..selectors import profile_completeness
from ..services import (
    account_erasure_request,
    account_export_response,
    api_token_create,
    api_token_revoke,
    invitation_accept,
    invitation_create,
    invitation_from_token,
    invitation_resend,
    profile_ensure,
)


def _user(request: HttpRequest) -> User:
    return current_user(request)


def _profile_form(
    prof: ApplicantProfile | PreceptorProfile | None, data: QueryDict | None
) -> ApplicantProfileForm | PreceptorProfileForm | None:
    if isinstance(prof, ApplicantProfile):
        return ApplicantProfileForm(data, instance=prof, prefix="profile")
    if isinstance(prof, PreceptorProfile):
        return PreceptorProfileForm(data, instance=prof, prefix="profile")
    return None


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    prof = profile_ensure(user)
    profile_form: ApplicantProfileForm | PreceptorProfileForm | None
    if request.method == "POST":
        user_form = UserSettingsForm(
            request.POST, instance=user, prefix="user", country=getattr(prof, "country", "")
        )
        profile_form = _profile_form(prof, request.POST)
        if user_form.is_valid() and (profile_form is None or profile_form.is_valid()):
            user_form.save()
            if profile_form is not None:
                profile_form.save()
            audit_record(
                actor=user,
                action="profile.updated",
                target=prof or user,
                data={
                    "fields": sorted(
                        set(user_form.changed_data)
                        | set(profile_form.changed_data if profile_form else [])
                    )
                },
                request=request,
            )
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
    else:
        user_form = UserSettingsForm(
            instance=user, prefix="user", country=getattr(prof, "country", "")
        )
        profile_form = _profile_form(prof, None)
    return render(
        request,
        "accounts/profile_edit.html",
        {
            "user_form": user_form,
            "profile_form": profile_form,
            "completeness": profile_completeness(prof),
        },
    )


@login_required
@reauthentication_required(allow_get=True)
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List tokens; POST creates one after a recent re-authentication (with the code when
    TOTP is on): a token outlives the session, so a borrowed session must not mint one."""
    user = _user(request)
    new_token: str | None = None
    if request.method == "POST":
        if second_factor_needed(request):
            return reauthentication.suspend_request(request, reverse("mfa_reauthenticate"))
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            new_token, _token = api_token_create(
                user=user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=form.expires_at(),
            )
            form = ApiTokenForm()
    else:
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=user)
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
    )


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    token = get_object_or_404(ApiToken, pk=pk, user=user)
    api_token_revoke(actor=user, token=token)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("accounts:api-tokens")


@role_required(Role.COORDINATOR)
def invitations(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                invitation = invitation_create(actor=user, **form.cleaned_data)
            except ValidationFailed as exc:
                form_add_errors(form, exc)
            else:
                messages.success(
                    request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
                )
                return redirect("accounts:invitations")
    else:
        form = InvitationForm()
    page = Paginator(Invitation.objects.select_related("invited_by"), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/invitation_list.html", {"form": form, "page": page})


@require_POST
@role_required(Role.COORDINATOR)
def invitation_resend_view(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        invitation_resend(actor=_user(request), invitation=invitation)
    except InvalidTransition as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Invitation sent again to %(email)s.") % {"email": invitation.email}
        )
    return redirect("accounts:invitations")


def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_from_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    if request.method == "POST":
        form = InvitationAcceptForm(request.POST)
        if form.is_valid():
            try:
                user = invitation_accept(
                    raw_token=token,
                    password=form.cleaned_data["password"],
                    full_name=form.cleaned_data["full_name"],
                )
            except ValidationFailed as exc:
                if exc.errors:
                    form_add_errors(form, exc)
                else:
                    return render(request, "accounts/invitation_invalid.html", status=404)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request, _("Welcome to Matchway, %(name)s.") % {"name": user.get_short_name()}
                )
                return redirect("dashboard")
    else:
        form = InvitationAcceptForm(initial={"full_name": invitation.full_name})
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


@login_required
@require_POST
def export_view(request: HttpRequest) -> FileResponse:
    """POST → the personal-data ZIP (a POST, so a link or a prefetch never builds one)."""
    return account_export_response(request, user=_user(request))


@login_required
@reauthentication_required(allow_get=True)
def delete_view(request: HttpRequest) -> HttpResponse:
    """What deletion erases and keeps; POST (after allauth's re-authentication) asks for it."""
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm that you want to be deleted."))
            return redirect("accounts:delete")
        user = _user(request)
        # Sign out first: erasure may run as soon as the request commits, and nothing about
        # the person (not even the sign-out's audit event) may be written after it.
        logout(request)
        account_erasure_request(user=user, request=request)
        messages.success(request, _("Your account is being deleted. You have been signed out."))
        return redirect("/")
    return render(request, "accounts/account_delete.html")
