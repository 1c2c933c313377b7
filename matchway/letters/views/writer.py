"""Letter writers' pages: the secret link (no account) and the preceptor account.

Both go through `_writer_page`, which calls the same services (`services.writer`); only how
the writer is identified differs (a `TokenViewer` or the signed-in preceptor). Any problem
with a link — unknown, tampered, expired, used, revoked, another purpose, a request that no
longer takes writer actions, a document of another request — answers the same neutral page
with 404, which says nothing about the request. The link pages are rate limited per IP.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role, User
from matchway.core.decorators import role_required
from matchway.core.exceptions import ApplicationError, UploadRejected, ValidationFailed
from matchway.core.forms import form_add_errors
from matchway.core.http import client_ip

from .. import conf
from ..brag import brag_sheet_lines
from ..forms import DeclineForm, FinalizeForm, UploadForm
from ..models import SLOE_CODES, STANDARDIZED_PILOT_CODES, LetterRequest
from ..ratelimit import rate_limited
from ..selectors import (
    TokenViewer,
    letter_file_get,
    letter_request_attachment_get,
    letter_request_get,
    letter_request_list,
    letter_request_view,
    letter_request_views,
    writer_token_resolve,
)
from ..services.requests import letter_request_record_view
from ..services.writer import (
    letter_confirm_eras,
    letter_finalize,
    letter_request_accept,
    letter_request_decline,
    letter_request_takes_writer_action,
    letter_upload,
)
from .common import (
    brag_sheet_download,
    brag_sheet_response,
    letter_download_name,
    letter_file_response,
    request_or_404,
    serve_file,
)

WriterViewer = TokenViewer | User


def _no_store(response: HttpResponse) -> HttpResponse:
    # The link is a credential: keep it out of caches, other sites' referrers and search
    # engines. ("no-referrer" would also blank the Origin of our own form posts, which
    # Django's CSRF check then refuses; "same-origin" never sends it off the site.)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def invalid_link(request: HttpRequest) -> HttpResponse:
    return _no_store(render(request, "letters/write_invalid.html", status=404))


def _token_viewer(token: str) -> TokenViewer | None:
    return writer_token_resolve(token)


def _writer_page(
    request: HttpRequest,
    *,
    viewer: WriterViewer,
    req: LetterRequest,
    self_url: str,
    links: dict[str, str],
    attachment_url: Callable[[int], str],
) -> HttpResponse:
    ip = client_ip(request)
    upload_form = UploadForm()
    decline_form = DeclineForm()
    finalize_form = FinalizeForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "accept":
                letter_request_accept(actor=viewer, letter_request=req, ip=ip)
                messages.success(request, _("Thank you! The applicant has been told you accepted."))
                return redirect(self_url)
            if action == "decline":
                decline_form = DeclineForm(request.POST)
                if decline_form.is_valid():
                    try:
                        letter_request_decline(
                            actor=viewer,
                            letter_request=req,
                            note=decline_form.cleaned_data["note"],
                            ip=ip,
                        )
                    except ValidationFailed as exc:
                        # Shown again with the note as typed and the findings beside it.
                        form_add_errors(decline_form, exc)
                    else:
                        return _done(request, viewer, "declined", self_url)
                status = 422
            elif action == "upload":
                upload_form = UploadForm(request.POST, request.FILES)
                if upload_form.is_valid():
                    try:
                        letter_upload(
                            actor=viewer,
                            letter_request=req,
                            file=upload_form.cleaned_data["file"],
                            ip=ip,
                        )
                    except UploadRejected as exc:
                        # Shown to the writer only, on the writer's page.
                        upload_form.add_error("file", exc.message)
                        status = 422
                    else:
                        messages.success(
                            request,
                            _(
                                "Your letter is uploaded. Check it, replace it if needed, then "
                                "mark it final."
                            ),
                        )
                        return redirect(self_url)
                else:
                    status = 422
            elif action == "finalize":
                finalize_form = FinalizeForm(request.POST)
                if finalize_form.is_valid():
                    letter_finalize(
                        actor=viewer,
                        letter_request=req,
                        eras_uploaded=finalize_form.cleaned_data["eras_uploaded"],
                        ip=ip,
                    )
                    return _done(request, viewer, "final", self_url)
                status = 422
            elif action == "eras":
                letter_confirm_eras(actor=viewer, letter_request=req, ip=ip)
                if req.is_standardized:
                    return _done(request, viewer, "standardized", self_url)
                messages.success(request, _("Thank you. We noted that the letter is in ERAS."))
                return redirect(self_url)
            else:
                status = 400
        except ApplicationError as exc:
            if isinstance(viewer, TokenViewer) and exc.status == 404:
                return invalid_link(request)
            messages.error(request, exc.message)
            return redirect(self_url)
    else:
        letter_request_record_view(
            actor=viewer, letter_request=req, action="letter_request.writer_viewed", ip=ip
        )
    req.refresh_from_db()
    view = letter_request_view(viewer=viewer, letter_request=req)
    response = render(
        request,
        "letters/write_page.html",
        {
            "item": view,
            "brag_lines": brag_sheet_lines(view.brag_sheet),
            "upload_form": upload_form,
            "decline_form": decline_form,
            "finalize_form": finalize_form,
            "via_link": isinstance(viewer, TokenViewer),
            "self_url": self_url,
            "links": links,
            "attachments": [{**a, "url": attachment_url(int(a["id"]))} for a in view.attachments],
            "pilot": req.specialty_code in STANDARDIZED_PILOT_CODES,
            "sloe": req.specialty_code in SLOE_CODES,
            "max_mb": f"{conf.max_bytes() / (1024 * 1024):g}",
            "upload_max_bytes": conf.max_bytes(),
        },
        status=status,
    )
    return _no_store(response)


def _done(request: HttpRequest, viewer: WriterViewer, outcome: str, self_url: str) -> HttpResponse:
    """After the last action a link allows, say thank you (the link is dead now)."""
    if isinstance(viewer, User):
        messages.success(
            request,
            _("You declined this request; the applicant has been told.")
            if outcome == "declined"
            else _("Thank you! The letter is final and the applicant has been told it is in."),
        )
        return redirect(self_url)
    return _no_store(render(request, "letters/write_done.html", {"outcome": outcome}))


# --- secret link ---------------------------------------------------------------------------


def _token_links(token: str) -> dict[str, str]:
    return {
        "brag_pdf": reverse("letters:write-brag-sheet", args=[token, "pdf"]),
        "brag_txt": reverse("letters:write-brag-sheet", args=[token, "txt"]),
        "letter": reverse("letters:write-letter", args=[token]),
    }


@rate_limited
def write(request: HttpRequest, token: str) -> HttpResponse:
    if request.method not in ("GET", "HEAD", "POST"):
        return invalid_link(request)
    viewer = _token_viewer(token)
    if viewer is None:
        return invalid_link(request)
    req = letter_request_get(viewer=viewer, pk=viewer.request_id)
    if req is None:
        return invalid_link(request)
    return _writer_page(
        request,
        viewer=viewer,
        req=req,
        self_url=reverse("letters:write", args=[token]),
        links=_token_links(token),
        attachment_url=lambda doc: reverse("letters:write-attachment", args=[token, doc]),
    )


@require_GET
@rate_limited
def write_brag_sheet(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    viewer = _token_viewer(token)
    req = letter_request_get(viewer=viewer, pk=viewer.request_id) if viewer else None
    if viewer is None or req is None or fmt not in ("pdf", "txt"):
        return invalid_link(request)
    letter_request_record_view(
        actor=viewer,
        letter_request=req,
        action="letter_request.brag_sheet_downloaded",
        ip=client_ip(request),
    )
    return _no_store(brag_sheet_response(req.brag_sheet or {}, fmt, req.pk))


@require_GET
@rate_limited
def write_attachment(request: HttpRequest, token: str, document_pk: int) -> HttpResponse:
    viewer = _token_viewer(token)
    document = (
        letter_request_attachment_get(
            viewer=viewer, request_pk=viewer.request_id, document_pk=document_pk
        )
        if viewer
        else None
    )
    if viewer is None or document is None:
        return invalid_link(request)
    response = serve_file(
        request,
        file=document.file,
        filename=document.neutral_name,
        content_type=document.content_type,
        target=document,
        action="letter_request.attachment_downloaded",
    )
    return _no_store(response)


@require_GET
@rate_limited
def write_letter(request: HttpRequest, token: str) -> HttpResponse:
    """The writer checks the PDF they uploaded (until they mark it final)."""
    viewer = _token_viewer(token)
    found = letter_file_get(viewer=viewer, request_pk=viewer.request_id) if viewer else None
    if found is None:
        return invalid_link(request)
    req, letter = found
    return _no_store(
        serve_file(
            request,
            file=letter.file,
            filename=letter_download_name(req.pk),
            content_type="application/pdf",
            target=req,
            action="letter.downloaded",
        )
    )


@rate_limited
def write_other(request: HttpRequest, rest: str) -> HttpResponse:
    return invalid_link(request)


# --- preceptor account ---------------------------------------------------------------------


@role_required(Role.PRECEPTOR)
def writing_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    items = letter_request_views(viewer=user, requests=letter_request_list(viewer=user))
    open_items = [i for i in items if i.writer_can_act]
    done_items = [i for i in items if not i.writer_can_act]
    return render(
        request, "letters/writing_list.html", {"open_items": open_items, "done_items": done_items}
    )


@role_required(Role.PRECEPTOR)
def writing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    req = request_or_404(user, pk)
    if request.method == "POST" and not letter_request_takes_writer_action(
        req, action=request.POST.get("action", "")
    ):
        messages.info(request, _("This request no longer takes changes."))
        return redirect("letters:writing-detail", pk=pk)
    return _writer_page(
        request,
        viewer=user,
        req=req,
        self_url=reverse("letters:writing-detail", args=[pk]),
        links={
            "brag_pdf": reverse("letters:writing-brag-sheet", args=[pk, "pdf"]),
            "brag_txt": reverse("letters:writing-brag-sheet", args=[pk, "txt"]),
            "letter": reverse("letters:writing-letter", args=[pk]),
        },
        attachment_url=lambda doc: reverse("letters:writing-attachment", args=[pk, doc]),
    )


@require_GET
@role_required(Role.PRECEPTOR)
def writing_brag_sheet(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    user = current_user(request)
    req = request_or_404(user, pk)
    return brag_sheet_download(request, user=user, letter_request=req, fmt=fmt)


@require_GET
@role_required(Role.PRECEPTOR)
def writing_attachment(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    user = current_user(request)
    document = letter_request_attachment_get(viewer=user, request_pk=pk, document_pk=document_pk)
    if document is None:
        raise Http404
    return serve_file(
        request,
        file=document.file,
        filename=document.neutral_name,
        content_type=document.content_type,
        target=document,
        action="letter_request.attachment_downloaded",
    )


@require_GET
@role_required(Role.PRECEPTOR)
def writing_letter(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    return letter_file_response(request, user=user, pk=pk)
