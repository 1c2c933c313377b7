"""Rotations writes (HackSoft services): import the functions from their modules, e.g.

    from matchway.rotations.services.applications_submit import application_submit

Every status-changing service opens a durable booking transaction: call it outside any
transaction (docs/dev/booking-concurrency.md).
"""

from .applications import TRANSITIONS, can_transition
from .applications_decide import (
    application_accept,
    application_cancel,
    application_confirm,
    application_decide,
    application_decline,
    application_extend_hold,
    application_waitlist,
)
from .applications_lifecycle import application_complete, application_start
from .applications_submit import application_submit, application_withdraw
from .payments import payment_record
from .sessions import (
    session_cancel,
    session_create,
    session_create_series,
    session_set_status,
    session_update_capacity,
)

__all__ = [
    "TRANSITIONS",
    "application_accept",
    "application_cancel",
    "application_complete",
    "application_confirm",
    "application_decide",
    "application_decline",
    "application_extend_hold",
    "application_start",
    "application_submit",
    "application_waitlist",
    "application_withdraw",
    "can_transition",
    "payment_record",
    "session_cancel",
    "session_create",
    "session_create_series",
    "session_set_status",
    "session_update_capacity",
]
