"""Pay buttons (applicant) and Stripe's webhook."""

from __future__ import annotations

import stripe
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role
from matchway.core.decorators import role_required
from matchway.core.exceptions import ApplicationError
from matchway.rotations.selectors import application_get_for_user

from .services import stripe_event_record
from .stripe_gateway import checkout_start

MAX_BODY = 512 * 1024  # Stripe events are a few kB


@role_required(Role.APPLICANT)
@require_POST
def checkout(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Send the applicant to Stripe's page for exactly what is due now."""
    user = current_user(request)
    application = application_get_for_user(user=user, pk=pk)
    if application is None or application.applicant_id != user.pk:
        raise Http404
    try:
        url = checkout_start(actor=user, application=application, kind=kind)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("rotations:application", pk)
    return redirect(url)


@csrf_exempt  # Stripe cannot send a CSRF token: the Stripe-Signature header is the auth
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        return JsonResponse(
            {"code": "not_configured", "message": "card payments are off"}, status=404
        )
    if len(request.body) > MAX_BODY:
        return JsonResponse({"code": "too_large", "message": "event too large"}, status=400)
    try:
        event = stripe.Webhook.construct_event(
            request.body, request.headers.get("Stripe-Signature", ""), secret
        )
    except (ValueError, stripe.SignatureVerificationError):
        return JsonResponse(
            {"code": "bad_signature", "message": "signature could not be verified"}, status=400
        )
    outcome = stripe_event_record(event.to_dict())
    return JsonResponse({"code": outcome.code, "message": outcome.message}, status=outcome.status)
