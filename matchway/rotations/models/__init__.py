from .arrival import ARRIVAL_FIELDS, RotationArrival, SessionArrival
from .booking import (
    LIVE_STATUSES,
    SEAT_STATUSES,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    BookingMode,
    Payment,
    PaymentMethod,
    Rotation,
    RotationKind,
    RotationSession,
    SessionStatus,
    Site,
    SiteKind,
)
from .calendar import CalendarFeed
from .visa import VisaLetter, VisaLetterStatus, mask_passport_number

__all__ = [
    "ARRIVAL_FIELDS",
    "LIVE_STATUSES",
    "SEAT_STATUSES",
    "Application",
    "ApplicationEvent",
    "ApplicationStatus",
    "BookingMode",
    "CalendarFeed",
    "Payment",
    "PaymentMethod",
    "Rotation",
    "RotationArrival",
    "RotationKind",
    "RotationSession",
    "SessionArrival",
    "SessionStatus",
    "Site",
    "SiteKind",
    "VisaLetter",
    "VisaLetterStatus",
    "mask_passport_number",
]
