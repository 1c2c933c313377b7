"""Helpers the applicant's, writer's and coordinator's pages share: loading a request or
404, timing advice, and the audited downloads."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.http import Http404, HttpRequest, HttpResponse

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.http import client_ip
from matchway.core.storage import private_file_response
from matchway.experience.selectors import RotationApplication

from ..brag import brag_sheet_pdf, brag_sheet_text
from ..guidance import Guidance, compose_guidance
from ..models import LetterRequest
from ..selectors import letter_file_get, letter_request_get
from ..services.requests import letter_request_record_view


def int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def serve_file(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """`private_file_response`, typed for the role decorators (a FileResponse streams)."""
    return cast(HttpResponse, private_file_response(request, **kwargs))


def letter_download_name(req_pk: int) -> str:
    # Never the writer's own file name: it can reveal content ("Strong_letter_Okafor.pdf").
    return f"letter-{req_pk}.pdf"


def brag_sheet_download(
    request: HttpRequest, *, user: User, letter_request: LetterRequest, fmt: str
) -> HttpResponse:
    """The brag sheet as PDF or text, audited; shared by the applicant's and writer's pages."""
    if fmt not in ("pdf", "txt"):
        raise Http404
    letter_request_record_view(
        actor=user,
        letter_request=letter_request,
        action="letter_request.brag_sheet_downloaded",
        ip=client_ip(request),
    )
    return brag_sheet_response(letter_request.brag_sheet or {}, fmt, letter_request.pk)


def brag_sheet_response(sheet: dict[str, Any], fmt: str, pk: int) -> HttpResponse:
    if fmt == "pdf":
        response = HttpResponse(brag_sheet_pdf(sheet), content_type="application/pdf")
    elif fmt == "txt":
        response = HttpResponse(brag_sheet_text(sheet), content_type="text/plain; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="brag-sheet-{pk}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def letter_file_response(request: HttpRequest, *, user: User, pk: int) -> HttpResponse:
    """Stream the letter PDF `user` may see (selectors decide; hidden → 404), audited."""
    found = letter_file_get(viewer=user, request_pk=pk)
    if found is None:
        raise Http404
    req, letter = found
    return serve_file(
        request,
        file=letter.file,
        filename=letter_download_name(req.pk),
        content_type="application/pdf",
        target=req,
        action="letter.downloaded",
    )


def request_or_404(user: User, pk: int) -> LetterRequest:
    """The request `user` may see (selectors decide), else 404."""
    req = letter_request_get(viewer=user, pk=pk)
    if req is None:
        raise Http404
    return req


def guidance_for(application: RotationApplication | None, due: date | None) -> Guidance:
    """Timing advice for a due date. "Today" is the provider's, like the due-date rules."""
    session = application.session if application is not None else None
    return compose_guidance(
        start=session.start_date if session else None,
        end=session.end_date if session else None,
        due_date=due,
        today=clock.provider_today(),
    )
