"""Retention of identity documents: the notice 30 days ahead, then the erasure.

The rule is in `selectors_retention` and docs/dev/privacy.md ("Retention"). Everything here
is a compare-and-set claim on the document row, so reruns and overlapping runs do nothing
twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.email import email_send
from matchway.core.exceptions import BusyError
from matchway.core.links import absolute_url
from matchway.core.locking import lock_for_update

from ..models import Document, DocumentStatus
from ..selectors_retention import (
    NOTICE_DAYS,
    RetentionDue,
    documents_needed,
    retention_days,
    retention_due,
    retention_shown_date,
)

logger = logging.getLogger("matchway.periodic")


def documents_apply_retention() -> dict[str, int]:
    """Periodic job: notify, then erase, identity documents under the retention rule.

    Call outside a transaction. For every identity document not yet erased whose erasure
    date (`retention_due`) is within `NOTICE_DAYS`: if no notice went out, claim
    `retention_notice_sent_at` and email the owner once (one email per owner and run),
    promising the later of that date and today + `NOTICE_DAYS`; if the notice went out and
    both dates have come, erase it (`_document_erase`). A noticed document that is needed
    again (a new application, a longer period) gets its notice withdrawn, so a later
    cycle notifies afresh. Returns counts: `notices` (emails), `erased`, `withdrawn`.
    Nothing happens when the rule is off (setting 0).
    """
    summary = {"notices": 0, "erased": 0, "withdrawn": 0}
    days = retention_days()
    if days is None:
        return summary
    today = clock.provider_today()
    horizon = today + dt.timedelta(days=NOTICE_DAYS)
    # Nothing uploaded after this instant can be due within the notice window (the erasure
    # date is never earlier than upload + days), so most rows are never read.
    uploaded_by = clock.end_of_day(horizon - dt.timedelta(days=days), settings.TIME_ZONE)
    candidates = list(
        Document.objects.filter(type__is_identity=True)
        .exclude(status=DocumentStatus.ERASED)
        .filter(Q(created_at__lte=uploaded_by) | Q(retention_notice_sent_at__isnull=False))
        .select_related("type", "owner")
        .order_by("owner_id", "pk")
    )
    needed = documents_needed({d.owner_id for d in candidates})
    to_notify: dict[int, list[tuple[Document, dt.date]]] = defaultdict(list)
    for document in candidates:
        due = retention_due(document, needed, days=days)
        if due.erase_on is None or due.erase_on > horizon:
            if document.retention_notice_sent_at is not None:
                summary["withdrawn"] += _notice_withdraw(document)
            continue
        if document.retention_notice_sent_at is None:
            to_notify[document.owner_id].append((document, max(due.erase_on, horizon)))
            continue
        promised = document.retention_erase_on or due.erase_on
        if today >= max(due.erase_on, promised):
            summary["erased"] += _document_erase(document, due=due, days=days)
    for items in to_notify.values():
        summary["notices"] += _notice_send(items)
    return summary


def _notice_withdraw(document: Document) -> int:
    # Compare-and-set on the notice we saw: a concurrent run that re-sent it wins.
    return Document.objects.filter(
        pk=document.pk, retention_notice_sent_at=document.retention_notice_sent_at
    ).update(retention_notice_sent_at=None, retention_erase_on=None, updated_at=clock.now())


def _notice_send(items: list[tuple[Document, dt.date]]) -> int:
    """Claim the notice on each of one owner's documents and email them once about those
    claimed. Returns 1 if an email was queued (sent after commit), else 0."""
    owner: User = items[0][0].owner
    now = clock.now()
    claimed: list[tuple[Document, dt.date]] = []
    with transaction.atomic():
        for document, erase_on in items:
            won = (
                Document.objects.filter(pk=document.pk, retention_notice_sent_at__isnull=True)
                .exclude(status=DocumentStatus.ERASED)
                .update(retention_notice_sent_at=now, retention_erase_on=erase_on, updated_at=now)
            )
            if won != 1:
                continue  # race: another run sent this notice
            claimed.append((document, erase_on))
            audit_record(
                actor=None,
                action="document.retention_noticed",
                target=document,
                data={"type": document.type_id, "erase_on": erase_on.isoformat()},
            )
        if not claimed:
            return 0
        rows: dict[tuple[str, dt.date], dict[str, Any]] = {}
        for document, erase_on in claimed:
            shown = retention_shown_date(erase_on, owner.timezone)
            name = document.type.name
            rows.setdefault((name, shown), {"name": name, "date": shown})
        items_shown = sorted(rows.values(), key=lambda row: (row["date"], row["name"]))
        email_send(
            to=[owner.email],
            template="document_retention_notice",
            context={
                "owner": owner,
                "items": items_shown,
                "first_date": items_shown[0]["date"],
                "vault_url": absolute_url("documents:vault"),
            },
        )
    return 1


def _document_erase(document: Document, *, due: RetentionDue, days: int) -> int:
    """Delete one version's file and blank the row (status `erased`). Returns 1 or 0.

    One transaction: lock the owner's user row (the lock `document_upload` takes, so the
    erasure never interleaves with that person's upload), then claim the row with a
    conditional UPDATE on the notice we saw, and audit `document.erased_by_retention` with
    no personal data. The file is deleted after the commit: a rollback must not leave a
    row pointing at a deleted file.
    """
    stored = document.file.name
    storage = document.file.storage
    now = clock.now()
    try:
        with transaction.atomic():
            lock_for_update(User, [document.owner_id])
            claimed = (
                Document.objects.filter(
                    pk=document.pk, retention_notice_sent_at=document.retention_notice_sent_at
                )
                .exclude(status=DocumentStatus.ERASED)
                .update(
                    status=DocumentStatus.ERASED,
                    erased_at=now,
                    updated_at=now,
                    # What identified the person or the file goes with the file.
                    file="",
                    original_name="",
                    sha256="",
                    size=0,
                    pages=None,
                    content_type="",
                    issued_on=None,
                    expires_on=None,
                    reason="",
                )
            )
            if claimed != 1:
                return 0  # race: erased, re-uploaded or re-noticed meanwhile
            document.status = DocumentStatus.ERASED
            document.original_name = ""
            audit_record(
                actor=None,
                action="document.erased_by_retention",
                target=document,
                data={
                    "type": document.type_id,
                    "current": document.is_current,
                    "measured_from": due.measured_from,
                    "retention_days": days,
                },
            )
            if stored:
                transaction.on_commit(lambda: storage.delete(stored))
    except BusyError:
        logger.warning("documents_apply_retention: owner of document %s busy", document.pk)
        return 0
    return 1
