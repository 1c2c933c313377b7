"""Reads of messaging: who may see which conversation, the inbox, unread counts.

Who may see a thread is decided by `rotations.selectors.application_get_for_user` (the
applicant, every coordinator, and the rotation's preceptors once the application is
confirmed, in progress or completed) — messaging never repeats that rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from matchway.accounts.models import Role, User
from matchway.rotations.models import Application
from matchway.rotations.selectors import (
    PRECEPTOR_VISIBLE_STATUSES,
    application_get_for_user,
    application_list_for_user,
)

from .models import Message, Thread, ThreadRead

UNREAD_VERSION_KEY = "messaging:unread:version"
UNREAD_TTL = 60 * 60  # seconds; the version key makes stale entries unreachable anyway


def application_for_thread(*, user: User, pk: int) -> Application | None:
    """The application whose conversation `user` may read and write, or None (→ 404)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return application_get_for_user(user=user, pk=pk)


def thread_for_application(application: Application) -> Thread | None:
    return Thread.objects.select_related("assigned_to").filter(application=application).first()


def message_list(thread: Thread | None) -> QuerySet[Message]:
    """The thread's messages, oldest first, with their authors (one query)."""
    if thread is None:
        return Message.objects.none()
    return Message.objects.filter(thread=thread).select_related("author")


def _unread_expression(user: User) -> Q:
    """A thread is unread for `user` when someone else wrote last, after `user` last read."""
    read_since = ThreadRead.objects.filter(
        thread=OuterRef("pk"), user=user, last_read_at__gte=OuterRef("last_message_at")
    )
    return Q(last_message_at__isnull=False) & ~Q(last_message_by=user) & ~Q(Exists(read_since))


def thread_list_for_user(*, user: User) -> QuerySet[Thread]:
    """Threads with at least one message that `user` may see."""
    if not getattr(user, "is_authenticated", False):
        return Thread.objects.none()
    visible = application_list_for_user(user=user).values("pk")
    return Thread.objects.filter(application__in=visible, last_message_at__isnull=False)


INBOX_FILTERS = ("", "unanswered", "mine", "unassigned")


@dataclass(frozen=True)
class InboxFilters:
    show: str = ""  # "" (all, unanswered first) | unanswered | mine | unassigned


def inbox(*, user: User, filters: InboxFilters) -> QuerySet[Thread]:
    """The inbox: unanswered threads first, then the most recent; each row knows whether
    it is unread for `user`. One query per page (plus the count)."""
    threads = thread_list_for_user(user=user)
    if user.role == Role.COORDINATOR:
        if filters.show == "unanswered":
            threads = threads.filter(awaiting_reply=True)
        elif filters.show == "mine":
            threads = threads.filter(assigned_to=user)
        elif filters.show == "unassigned":
            threads = threads.filter(assigned_to__isnull=True)
    return (
        threads.select_related(
            "application__applicant",
            "application__session__rotation",
            "assigned_to",
            "last_message_by",
        )
        .annotate(unread=ExpressionWrapper(_unread_expression(user), BooleanField()))
        .order_by("-awaiting_reply", "-last_message_at", "-pk")
    )


def _unread_key(user_id: int) -> str:
    version = cache.get(UNREAD_VERSION_KEY) or 0
    return f"messaging:unread:{version}:{user_id}"


def unread_thread_count(user: User) -> int:
    """How many threads have something `user` has not read: cached per user.

    The header shows it on every page, so it must not cost a query each time: the count is
    kept in the shared cache under a key that includes a global version, bumped after
    every new message (`unread_counts_changed`); reading a thread drops the reader's entry
    (`unread_count_forget`). A cold cache costs one COUNT query.
    """
    if not getattr(user, "is_authenticated", False):
        return 0
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = thread_list_for_user(user=user).filter(_unread_expression(user)).count()
        cache.set(key, count, UNREAD_TTL)
    return int(count)


def unread_counts_changed() -> None:
    """A new message: every participant's count may have changed (one cache write)."""
    if not cache.add(UNREAD_VERSION_KEY, 1, None):
        try:
            cache.incr(UNREAD_VERSION_KEY)
        except ValueError:  # evicted between add and incr
            cache.set(UNREAD_VERSION_KEY, 1, None)


def unread_count_forget(user: User) -> None:
    cache.delete(_unread_key(user.pk))


def recipients(*, application: Application, thread: Thread, author: User) -> list[User]:
    """Who is emailed about a new message: everyone on the other side of `author`.

    The applicant; the assigned coordinator, or every active coordinator while the thread
    is unassigned; the rotation's preceptors once they have joined (confirmed and later).
    """
    people: dict[int, User] = {application.applicant.pk: application.applicant}
    if thread.assigned_to_id and thread.assigned_to and thread.assigned_to.is_active:
        people[thread.assigned_to.pk] = thread.assigned_to
    else:
        for coordinator in User.objects.filter(role=Role.COORDINATOR, is_active=True):
            people[coordinator.pk] = coordinator
    if application.status in PRECEPTOR_VISIBLE_STATUSES:
        for preceptor in application.session.rotation.preceptors.filter(is_active=True):
            people[preceptor.pk] = preceptor
    people.pop(author.pk, None)
    return [p for p in people.values() if p.is_active and p.email]


def coordinators() -> QuerySet[User]:
    return User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("full_name")


def attachment_get_for_user(*, user: User, pk: int) -> Message | None:
    """A message with an attachment in a conversation `user` may see, or None (→ 404)."""
    message = Message.objects.select_related("thread").filter(pk=pk).exclude(attachment="").first()
    if message is None:
        return None
    if application_for_thread(user=user, pk=message.thread.application_id) is None:
        return None
    return message
