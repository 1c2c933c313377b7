"""Account erasure hook: the conversations on the person's applications are about them, so
they go, attachments included (the applications themselves stay, see rotations.erasure).
Messages a staff member wrote elsewhere stay with the thread they answer (the account row is
anonymised, not deleted)."""

from __future__ import annotations

from matchway.accounts.models import User

from .models import Message, Thread


def erase(user: User) -> dict[str, int]:
    threads = Thread.objects.filter(application__applicant=user)
    with_files = Message.objects.filter(thread__in=threads).exclude(attachment="")
    for message in with_files:
        message.attachment.delete(save=False)
    counts = {
        "message_threads": threads.count(),
        "messages": Message.objects.filter(thread__in=threads).count(),
    }
    threads.delete()
    return counts
