"""Messages JSON API (thin): the conversation on an application.

Attachments are HTML-only for now (the page's multipart form); the API reads and posts
text. Who may call: the same rule as the pages (anyone who may not see the application
gets 404 `not_found`; anonymous callers get 401 like every non-public operation).
"""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Status
from ninja.pagination import paginate

from matchway.accounts.auth import current_user
from matchway.api.pagination import MappedSequence, Pagination
from matchway.api.schemas import ErrorOut, Id, ValidationErrorOut
from matchway.core.exceptions import NotFound

from . import selectors, services
from .models import Message
from .schemas import MessageIn, MessageOut

router = Router(tags=["messages"])


def _out(message: Message) -> dict[str, Any]:
    author = message.author
    return {
        "id": message.pk,
        "author": (
            {"id": author.pk, "name": author.full_name or author.email, "role": author.role}
            if author
            else None
        ),
        "body": message.body,
        "created_at": message.created_at,
        "attachment_name": message.attachment_name or None,
        "attachment_url": (
            reverse("messaging:attachment", args=[message.pk]) if message.has_attachment else None
        ),
    }


@router.get(
    "/applications/{application_id}/messages",
    response={200: list[MessageOut], 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    operation_id="messaging_message_list",
    summary="The conversation on an application, oldest first (participants only)",
)
@paginate(Pagination)
def message_list(request: HttpRequest, application_id: Id) -> Any:
    user = current_user(request)
    application = selectors.application_for_thread(user=user, pk=application_id)
    if application is None:
        raise NotFound()
    thread = selectors.thread_for_application(application)
    return MappedSequence(selectors.message_list(thread), _out)


@router.post(
    "/applications/{application_id}/messages",
    response={
        201: MessageOut,
        401: ErrorOut,
        404: ErrorOut,
        422: ValidationErrorOut,
        503: ErrorOut,
    },
    operation_id="messaging_message_create",
    summary="Post a message on an application's conversation",
    description=(
        "`{body}` in plain text. Text that may identify a patient is refused before it is "
        "stored: 422 `phi_detected` with `findings: [{field, kind, start, end, text, "
        "suggestion}]`. The other participants are emailed. Attachments: HTML page only."
    ),
)
def message_create(request: HttpRequest, application_id: Id, payload: MessageIn) -> Status:
    user = current_user(request)
    application = selectors.application_for_thread(user=user, pk=application_id)
    if application is None:
        raise NotFound()
    message = services.message_post(actor=user, application=application, body=payload.body)
    return Status(201, _out(message))
