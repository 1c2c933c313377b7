"""Messaging pages (thin): the conversation on an application, the inbox, assignment and
attachment downloads. Anyone who may not see the application — anonymous visitors too —
gets 404, so an id reveals nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from matchway.accounts.models import Role, User
from matchway.core.decorators import role_required
from matchway.core.exceptions import PhiDetected, UploadRejected, ValidationFailed
from matchway.core.htmx import render_page_or_partial, wants_fragment
from matchway.core.storage import private_file_response

from . import selectors, services
from .forms import AssignForm, MessageForm

INBOX_PAGE_SIZE = 25
FILTER_LABELS = {
    "": gettext_lazy("All, unanswered first"),
    "unanswered": gettext_lazy("Unanswered"),
    "mine": gettext_lazy("Assigned to me"),
    "unassigned": gettext_lazy("Unassigned"),
}


def _viewer(request: HttpRequest) -> User:
    user: Any = request.user
    return user  # type: ignore[no-any-return]


def _post(request: HttpRequest, form: MessageForm, application: Any) -> bool:
    """Call the service; put its refusals beside the fields. True when stored."""
    upload = form.cleaned_data.get("attachment")
    try:
        services.message_post(
            actor=_viewer(request),
            application=application,
            body=form.cleaned_data["body"],
            attachment=upload,
            attachment_name=getattr(upload, "name", "") or "",
        )
    except PhiDetected as exc:
        form.add_error(None, exc.message)
        for message in exc.errors.get("body", []):
            form.add_error("body", message)
        return False
    except UploadRejected as exc:
        form.add_error("attachment", exc.message)
        return False
    except ValidationFailed as exc:
        for field, errors in exc.errors.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
        if not exc.errors:
            form.add_error(None, exc.message)
        return False
    return True


@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    user = _viewer(request)
    application = selectors.application_for_thread(user=user, pk=pk)
    if application is None:
        raise Http404
    form = MessageForm()
    if request.method == "POST":
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid() and _post(request, form, application):
            if not wants_fragment(request):
                messages.success(request, _("Message sent."))
                return redirect("messaging:thread", pk=application.pk)
            form = MessageForm()
    conversation = selectors.thread_for_application(application)
    if conversation is not None:
        services.thread_mark_read(user=user, thread=conversation)
    context = {
        "application": application,
        "rotation": application.session.rotation,
        "thread": conversation,
        "thread_messages": list(selectors.message_list(conversation)),
        "form": form,
        "assign_form": (
            AssignForm(initial={"assigned_to": conversation.assigned_to_id})
            if conversation is not None and user.role == Role.COORDINATOR
            else None
        ),
        "preceptors_joined": application.status in selectors.PRECEPTOR_VISIBLE_STATUSES,
    }
    return render_page_or_partial(
        request, "messaging/thread_detail.html", context, partial="conversation"
    )


@role_required("coordinator")
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    user = _viewer(request)
    application = selectors.application_for_thread(user=user, pk=pk)
    conversation = selectors.thread_for_application(application) if application else None
    if conversation is None:
        raise Http404
    form = AssignForm(request.POST)
    if form.is_valid():
        assignee = form.cleaned_data["assigned_to"]
        services.thread_assign(actor=user, thread=conversation, assignee=assignee)
        if assignee is None:
            messages.success(request, _("The conversation is open to all coordinators."))
        else:
            messages.success(
                request,
                _("Assigned to %(name)s.") % {"name": assignee.full_name or assignee.email},
            )
    else:
        messages.error(request, _("Choose an active coordinator."))
    return redirect("messaging:thread", pk=pk)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    show = request.GET.get("show", "")
    if show not in selectors.INBOX_FILTERS or user.role != Role.COORDINATOR:
        show = ""
    threads = selectors.inbox(user=user, filters=selectors.InboxFilters(show=show))
    page = Paginator(threads, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    filters = [
        {"value": value, "label": label, "current": value == show}
        for value, label in FILTER_LABELS.items()
    ]
    return render(
        request,
        "messaging/thread_list.html",
        {
            "page": page,
            "filters": filters,
            "show": show,
            "is_coordinator": user.role == Role.COORDINATOR,
        },
    )


def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _viewer(request)
    message = selectors.attachment_get_for_user(user=user, pk=pk)
    if message is None:
        raise Http404
    return private_file_response(
        request,
        file=message.attachment,
        filename=message.attachment_name,
        content_type=message.attachment_type,
        target=message,
        action="message.attachment_downloaded",
    )
