"""Reviewers: the applicant invites and resolves; the reviewer reads one version and comments.

The reviewer's pages are reached through a secret link (`review`) or, for invited users
who are signed in, by invitation id (`review-signed-in`); every failure of either is the
same neutral 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from matchway.accounts.auth import current_user
from matchway.core.exceptions import ApplicationError, ValidationFailed
from matchway.core.forms import form_add_errors
from matchway.core.http import client_ip

from .. import services
from ..forms import (
    CommentForm,
    InvitationForm,
)
from ..models import ReviewInvitation
from ..selectors import (
    comment_list_for_statement,
    review_comment_get_for_applicant,
    review_comments_for_invitation,
    review_invitation_from_token,
    review_invitation_get_for_applicant,
    review_invitation_get_for_reviewer,
    review_invitation_list_for_reviewer,
    review_invitation_list_for_statement,
    reviewer_candidates,
    version_latest,
)
from .common import (
    anchored_highlights,
    applicant_only,
    comment_highlights,
    statement_or_404,
    version_or_404,
)


@applicant_only
def invite(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    statement = statement_or_404(request, pk)
    version = version_or_404(statement, number)
    user = current_user(request)
    form = InvitationForm(request.POST or None, candidates=reviewer_candidates(user=user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.review_invitation_create(
                actor=user,
                version=version,
                reviewer=data.get("reviewer"),
                email=data.get("email") or "",
                name=data.get("name") or "",
                message=data.get("message") or "",
                days=data["days"],
                ip=client_ip(request),
            )
        except ApplicationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(
                request,
                _("We emailed %(name)s a link to version %(n)s. It works until %(date)s.")
                % {
                    "name": invitation.reviewer_name,
                    "n": version.number,
                    "date": timezone.localtime(invitation.expires_at).strftime("%b %d, %Y"),
                },
            )
            return redirect("statements:reviews", pk=statement.pk)
    return render(
        request,
        "statements/invitation_form.html",
        {"statement": statement, "version": version, "form": form},
        status=422 if form.errors else 200,
    )


@applicant_only
def reviews(request: HttpRequest, pk: int) -> HttpResponse:
    statement = statement_or_404(request, pk)
    latest = version_latest(statement)
    anchored = comment_list_for_statement(statement, current=latest)
    open_items = [c for c in anchored if not c.comment.is_resolved]
    return render(
        request,
        "statements/statement_reviews.html",
        {
            "statement": statement,
            "version": latest,
            "invitations": list(review_invitation_list_for_statement(statement)),
            "open_comments": open_items,
            "resolved_comments": [c for c in anchored if c.comment.is_resolved],
            "body_html": anchored_highlights(latest.body if latest else "", open_items),
        },
    )


def _invitation_action(
    request: HttpRequest, pk: int, invitation_id: int, action: Callable[..., Any], message: str
) -> HttpResponse:
    statement = statement_or_404(request, pk)
    invitation = review_invitation_get_for_applicant(statement=statement, pk=invitation_id)
    if invitation is None:
        raise Http404
    try:
        action(actor=current_user(request), invitation=invitation, ip=client_ip(request))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, message % {"name": invitation.reviewer_name})
    return redirect("statements:reviews", pk=statement.pk)


@applicant_only
@require_POST
def invitation_revoke(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    return _invitation_action(
        request,
        pk,
        invitation_id,
        services.review_invitation_revoke,
        _("The link for %(name)s no longer works."),
    )


@applicant_only
@require_POST
def invitation_resend(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    return _invitation_action(
        request,
        pk,
        invitation_id,
        services.review_invitation_resend,
        _("We emailed %(name)s a new link; the old one no longer works."),
    )


def _comment_action(
    request: HttpRequest, pk: int, comment_id: int, action: Callable[..., Any]
) -> HttpResponse:
    statement = statement_or_404(request, pk)
    comment = review_comment_get_for_applicant(statement=statement, pk=comment_id)
    if comment is None:
        raise Http404
    action(actor=current_user(request), comment=comment, ip=client_ip(request))
    back = request.POST.get("next", "")
    if back == "editor":
        return redirect("statements:editor", pk=statement.pk)
    return redirect(reverse("statements:reviews", args=[statement.pk]) + f"#comment-{comment.pk}")


@applicant_only
@require_POST
def comment_resolve(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    return _comment_action(request, pk, comment_id, services.review_comment_resolve)


@applicant_only
@require_POST
def comment_reopen(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    return _comment_action(request, pk, comment_id, services.review_comment_reopen)


# --- the reviewer's side ------------------------------------------------------------------


def _review_invalid(request: HttpRequest) -> HttpResponse:
    # One neutral page for unknown, tampered, expired and revoked links alike.
    response = render(request, "statements/review_invalid.html", status=404)
    response["Referrer-Policy"] = "no-referrer"
    return response


def _review_page(
    request: HttpRequest,
    invitation: ReviewInvitation,
    *,
    action_url: str,
    done_url: str,
) -> HttpResponse:
    viewer = request.user if request.user.is_authenticated else None
    form = CommentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.review_comment_add(
                    invitation=invitation,
                    author=viewer,
                    body=data["body"],
                    quote=data["quote"] or "",
                    start=data["start"],
                    end=data["end"],
                    ip=client_ip(request),
                )
            except ValidationFailed as exc:
                form_add_errors(form, exc)
            except ApplicationError:
                return _review_invalid(request)
            else:
                messages.success(request, _("Comment added. Thank you!"))
                return redirect(f"{action_url}#comments")
        status = 422
    else:
        services.review_invitation_viewed(
            invitation=invitation, viewer=viewer, ip=client_ip(request)
        )
    comments = list(review_comments_for_invitation(invitation))
    version = invitation.version
    response = render(
        request,
        "statements/review_page.html",
        {
            "invitation": invitation,
            "version": version,
            "statement": version.statement,
            "applicant": version.statement.applicant,
            "body_html": comment_highlights(version.body, comments),
            "comments": comments,
            "form": form,
            "action_url": action_url,
            "done_url": done_url,
        },
        status=status,
    )
    # The URL may carry the secret: never send it on to other sites, never cache the page.
    # Not "no-referrer": Chromium then posts forms with `Origin: null`, which CSRF refuses.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _review_done(request: HttpRequest, invitation: ReviewInvitation, back: str) -> HttpResponse:
    viewer = request.user if request.user.is_authenticated else None
    if services.review_invitation_complete(
        invitation=invitation, author=viewer, ip=client_ip(request)
    ):
        messages.success(request, _("Thank you! We let the applicant know your review is ready."))
    return redirect(back)


@never_cache
def review(request: HttpRequest, token: str) -> HttpResponse:
    invitation = review_invitation_from_token(token)
    if invitation is None:
        return _review_invalid(request)
    return _review_page(
        request,
        invitation,
        action_url=reverse("statements:review", args=[token]),
        done_url=reverse("statements:review-done", args=[token]),
    )


@require_POST
def review_done(request: HttpRequest, token: str) -> HttpResponse:
    invitation = review_invitation_from_token(token)
    if invitation is None:
        return _review_invalid(request)
    return _review_done(request, invitation, reverse("statements:review", args=[token]))


@login_required
def review_requests(request: HttpRequest) -> HttpResponse:
    invitations = list(review_invitation_list_for_reviewer(user=current_user(request)))
    return render(request, "statements/review_list.html", {"invitations": invitations})


@login_required
@never_cache
def review_signed_in(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = review_invitation_get_for_reviewer(user=request.user, pk=invitation_id)
    if invitation is None:
        raise Http404
    return _review_page(
        request,
        invitation,
        action_url=reverse("statements:review-signed-in", args=[invitation_id]),
        done_url=reverse("statements:review-signed-in-done", args=[invitation_id]),
    )


@login_required
@require_POST
def review_signed_in_done(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = review_invitation_get_for_reviewer(user=request.user, pk=invitation_id)
    if invitation is None:
        raise Http404
    return _review_done(
        request, invitation, reverse("statements:review-signed-in", args=[invitation_id])
    )
