"""Domain errors. Views turn them into messages; the API into {"code", "message"}.

User-facing messages are module-level translatable constants so tests can assert on them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

MSG_BUSY = _("Many people are booking right now. Please try again in a moment.")
MSG_CAPACITY = _("This session is full.")
MSG_NOT_FOUND = _("We could not find that.")
MSG_PERMISSION = _("Your account cannot do this.")
MSG_INVALID_TRANSITION = _("This change is not possible in the current state.")


class ApplicationError(Exception):
    """Base of every expected domain failure: a code, a human message, an HTTP status."""

    code = "application_error"
    status = 400
    default_message: object = _("Something about this request is not right.")

    def __init__(self, message: object | None = None, *, extra: dict[str, object] | None = None):
        self.message = str(message if message is not None else self.default_message)
        self.extra = extra or {}
        super().__init__(self.message)


class ValidationFailed(ApplicationError):
    code = "validation_error"
    status = 422
    default_message = _("Please correct the highlighted fields.")

    def __init__(
        self, message: object | None = None, *, errors: dict[str, list[str]] | None = None
    ):
        super().__init__(message)
        self.errors = errors or {}


class MalformedRequest(ApplicationError):
    """The request body cannot be read (e.g. multipart without a boundary): 400."""

    code = "bad_request"
    status = 400
    default_message = _("The request body could not be read.")


MSG_PHI_DETECTED = _(
    "This text may identify a patient. Replace the highlighted parts (names, record numbers, "
    "dates, contact details) with neutral wording; nothing was saved or sent."
)


class PhiDetected(ValidationFailed):
    """Free text with possible patient identifiers, refused before anything is stored.

    Built from the PHI guard's findings (`matchway.phi.guard`, duck-typed here: core does
    not import phi). The API answers 422 with `findings: [{field, kind, start, end, text,
    suggestion}]`; forms show one message beside each field and keep what was typed.
    """

    code = "phi_detected"

    def __init__(self, findings: Mapping[str, Sequence[Any]]):
        errors = {
            field: [
                str(
                    _("Possible patient identifiers: %(items)s.")
                    % {
                        "items": "; ".join(
                            _("“%(text)s” (write “%(suggestion)s”)")
                            % {"text": f.text, "suggestion": f.suggestion}
                            for f in found
                        )
                    }
                )
            ]
            for field, found in findings.items()
        }
        super().__init__(MSG_PHI_DETECTED, errors=errors)
        self.findings = {field: list(found) for field, found in findings.items()}
        self.extra = {
            "findings": [
                {
                    "field": field,
                    "kind": f.kind,
                    "start": f.start,
                    "end": f.end,
                    "text": f.text,
                    "suggestion": f.suggestion,
                }
                for field, found in findings.items()
                for f in found
            ]
        }

    @classmethod
    def raise_if(cls, findings: Mapping[str, Sequence[Any]]) -> None:
        """Raise when the guard found anything (`PhiDetected.raise_if(phi_scan_fields(…))`)."""
        if findings:
            raise cls(findings)


class AccessDenied(ApplicationError):
    code = "permission_denied"
    status = 403
    default_message = MSG_PERMISSION


class NotFound(ApplicationError):
    code = "not_found"
    status = 404
    default_message = MSG_NOT_FOUND


class CapacityError(ApplicationError):
    code = "session_full"
    status = 409
    default_message = MSG_CAPACITY


class AlreadyApplied(ApplicationError):
    code = "already_applied"
    status = 409
    default_message = _("You already have an active application for this session.")


class InvalidTransition(ApplicationError):
    code = "invalid_transition"
    status = 409
    default_message = MSG_INVALID_TRANSITION


class SessionClosed(ApplicationError):
    code = "session_closed"
    status = 409
    default_message = _("This session is not taking applications.")


class DateConflict(ApplicationError):
    """Confirming would give one applicant two confirmed/in-progress rotations on the same
    days (issue #19). The message names the other rotation and its dates; `extra` carries
    `conflicts: [{application_id, rotation, start_date, end_date, status}]`. A coordinator
    may override with a reason (audited)."""

    code = "date_conflict"
    status = 409
    default_message = _("These dates overlap another confirmed rotation of this applicant.")


class HoldExpiredError(InvalidTransition):
    default_message = _("The seat hold has expired.")


class UploadRejected(ApplicationError):
    code = "upload_rejected"
    status = 422
    default_message = _("The file was not accepted.")


class RateLimited(ApplicationError):
    code = "rate_limited"
    status = 429
    default_message = _("Too many attempts. Please wait a little and try again.")


class BusyError(ApplicationError):
    code = "busy"
    status = 503
    default_message = MSG_BUSY
    retry_after = 2


class AlreadyExists(ApplicationError):
    """The row is already there (e.g. the same ACGME program id twice in one list)."""

    code = "already_exists"
    status = 409
    default_message = _("This is already in your list.")


class SignalLimitReached(ApplicationError):
    """The season allows no more signals of this kind in this specialty. The message names
    the programs that hold them; `extra` carries `held_by: [{target_id, program}]`."""

    code = "signal_limit"
    status = 409
    default_message = _("You have used every signal of this kind for this specialty.")


class SoapLimit(ApplicationError):
    """A SOAP application over the season's limit (the number is data: `soap.application_limit`)."""

    code = "soap_limit"
    status = 409
    default_message = _("You have used every SOAP application this season allows.")


class OfferAlreadyAccepted(ApplicationError):
    """After a SOAP offer is accepted the week is closed: no other acceptance, no new
    application (an accepted offer is binding)."""

    code = "offer_already_accepted"
    status = 409
    default_message = _(
        "You accepted an offer: it is binding, so no other offer can be accepted and no more "
        "applications can be recorded this week."
    )
