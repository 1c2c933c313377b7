"""Account erasure hook: a person's notifications (copies of emails) and settings.

Other people's in-app copies of emails about the person (a coordinator's "new message from
Amina Okafor") are ours to scrub too: their subject and text lose the name and address.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Notification, NotificationDigest, NotificationPreference


def erase(user: Any) -> dict[str, int]:
    counts = {
        "notifications": Notification.objects.filter(user=user).delete()[0],
        "notification_digests": NotificationDigest.objects.filter(user=user).delete()[0],
        "notification_preferences": NotificationPreference.objects.filter(user=user).delete()[0],
    }
    needles = [v for v in (user.email, user.get_full_name()) if v and len(v) >= 3]
    if not needles:
        return counts
    match = Q()
    for needle in needles:
        match |= Q(subject__icontains=needle) | Q(text__icontains=needle)
    scrubbed = 0
    for note in Notification.objects.filter(match).only("pk", "subject", "text"):
        for needle in needles:
            note.subject = _replace(note.subject, needle)
            note.text = _replace(note.text, needle)
        note.save(update_fields=["subject", "text"])
        scrubbed += 1
    counts["notifications_scrubbed"] = scrubbed
    return counts


def _replace(value: str, needle: str) -> str:
    lowered, target = value.lower(), needle.lower()
    out, start = [], 0
    while (found := lowered.find(target, start)) != -1:
        out.append(value[start:found])
        out.append(_("a deleted user"))
        start = found + len(needle)
    out.append(value[start:])
    return "".join(out)
