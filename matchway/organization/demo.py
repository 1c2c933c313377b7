"""Demo provider and policy pages (seed_demo). Idempotent: existing rows are kept.

The texts are short, plausible examples written for Matchway's demo, not legal advice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from matchway.core import clock

from .models import Organization, PolicyPage

ABOUT = """Lakeside Clinical Education arranges supervised clinical experience in US
hospitals and clinics for international medical graduates and students.

## What we do
- Observerships, where you follow a physician's day and learn how US teams work.
- Hands-on electives for enrolled students, where a host school's agreement allows it.
- Letters of recommendation from preceptors who supervised you, requested through Matchway.

## How we work
Every rotation page says what kind of experience it is, who supervises it and what it
costs. We never promise a residency position, and no preceptor may sell a letter.
"""

CONTACT = """Write to us at any time; we answer within two business days.

For questions about a booking, use the messages on your application so the whole
conversation stays in one place.
"""

TERMS_V1 = """## Your account
Keep your password to yourself and tell us if you think someone else used your account.

## Bookings
A booking is confirmed once we accept your application and your payment arrives. Each
rotation page states its own refund rules.

## Conduct on site
Follow the host site's rules, dress code and privacy training. Never take photos of
patients or their records.
"""

TERMS_V2 = (
    TERMS_V1
    + """
## Messages
Messages inside Matchway are for your rotation. Do not send patient details in them.
"""
)

PRIVACY = """## What we keep
Your name, email, profile, the documents you upload and the history of your applications.

## Why
To run your rotations, issue certificates and pass letters to the programs you choose.

## Who sees it
Our coordinators, and the preceptors of a rotation once you are confirmed for it. We do
not sell personal data.

## Your choices
You can download everything we hold about you, or delete your account, from your profile.
"""

REFUNDS = """Each rotation lists its own refund rules on its page. When a rotation has no
rules of its own:

- Cancel 30 days or more before the start date: full refund minus the card fee.
- Cancel 14 to 29 days before: half of the rotation fee.
- Later than that: no refund, unless we or the host site cancel, in which case you get
  everything back.
"""

ACCESSIBILITY = """We want every page of Matchway to work with a keyboard, a screen reader
and zoom up to 200 %. If something gets in your way, tell us which page and what happened,
and we will fix it or help you another way.
"""


def seed(context: dict[str, Any]) -> None:
    if not Organization.objects.exists():
        Organization.objects.create(
            name="Lakeside Clinical",
            legal_name="Lakeside Clinical Education LLC",
            address="12 Harbor Road, Suite 3\nPortland, ME 04101\nUnited States",
            contact_email="hello@lakeside-clinical.example",
            phone="+1 207 555 0100",
            website="https://lakeside-clinical.example",
            time_zone="America/New_York",
            bank_transfer_instructions=(
                "Bank: Example Community Bank\nAccount name: Lakeside Clinical Education LLC\n"
                "Reference: your application number"
            ),
        )
    if PolicyPage.objects.exists():
        return
    now = clock.now()
    long_ago, recently = now - dt.timedelta(days=120), now - dt.timedelta(days=14)
    versions = [
        ("about", ABOUT, long_ago),
        ("contact", CONTACT, long_ago),
        ("terms", TERMS_V1, long_ago),
        ("terms", TERMS_V2, recently),
        ("privacy", PRIVACY, long_ago),
        ("refunds", REFUNDS, long_ago),
        ("accessibility", ACCESSIBILITY, long_ago),
    ]
    numbers: dict[str, int] = {}
    for kind, body, effective_at in versions:
        numbers[kind] = numbers.get(kind, 0) + 1
        PolicyPage.objects.create(
            kind=kind, body=body, version=numbers[kind], effective_at=effective_at
        )
