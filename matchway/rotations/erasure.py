"""Account erasure hook: applications stay (seat and money history) without personal text;
calendar feeds and payment reminders go."""

from __future__ import annotations

from matchway.accounts.models import User

from .models import Application, ApplicationEvent, CalendarFeed, PaymentReminder, Refund, VisaLetter


def erase(user: User) -> dict[str, int]:
    applications = Application.objects.filter(applicant=user)
    detached = applications.update(
        motivation="", referral_source="", status_reason="", confirm_override_reason=""
    )
    ApplicationEvent.objects.filter(application__applicant=user).update(reason="")
    # Refunds and numbered receipts/invoices are the provider's accounting records and stay
    # (docs/dev/invoices-and-refunds.md); a refund's free-text reason goes.
    Refund.objects.filter(application__applicant=user).update(reason="")
    # Reminders are mail we sent the person, not accounting records: they go. Reminders are
    # never sent to an erased (inactive) account, so no claim row is needed any more.
    reminders, _ = PaymentReminder.objects.filter(application__applicant=user).delete()
    # Visa letters: passport details and the PDF go; the row (number, status) stays.
    letters = VisaLetter.objects.filter(application__applicant=user)
    for letter in letters.exclude(pdf=""):
        letter.pdf.delete(save=False)
    erased_letters = letters.update(passport_name="", passport_number="", paid_by="", pdf="")
    feeds, _ = CalendarFeed.objects.filter(user=user).delete()
    return {
        "applications_detached": detached,
        "calendar_feeds": feeds,
        "payment_reminders": reminders,
        "visa_letters_erased": erased_letters,
    }
