"""Writes for the SOAP cockpit (docs/dev/soap.md). Every write is audited; the limit and the
binding acceptance are decided under the week row's lock (`core.locking`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.exceptions import (
    InvalidTransition,
    OfferAlreadyAccepted,
    SoapLimit,
    ValidationFailed,
)
from matchway.core.locking import booking_transaction, lock_for_update
from matchway.core.templatetags.when import format_when
from matchway.letters.models import Letter, LetterStatus
from matchway.statements.models import StatementVersion

from . import importing, selectors
from .models import (
    ListImport,
    OfferStatus,
    PartialMatch,
    SoapApplication,
    SoapOffer,
    SoapWeek,
    UnfilledProgram,
    WeekKind,
)

MAX_LETTERS_FACT = "letters_of_recommendation.max_per_program"


def week_get_or_create(
    user: User, *, kind: str = WeekKind.REAL, season: str | None = None
) -> SoapWeek:
    season = season or (
        selectors.current_season() if kind == WeekKind.REAL else selectors.drill_season()
    )
    try:
        with transaction.atomic():
            week, _created = SoapWeek.objects.get_or_create(
                applicant=user, season=season, kind=kind
            )
    except IntegrityError:  # a parallel request created it first
        week = SoapWeek.objects.get(applicant=user, season=season, kind=kind)
    return week


def partial_match_set(*, actor: User, week: SoapWeek, value: str) -> SoapWeek:
    if value not in PartialMatch.values:
        raise ValidationFailed(errors={"partial_match": [_("Choose one of the listed results.")]})
    week.partial_match = value
    week.save(update_fields=["partial_match", "updated_at"])
    audit_record(actor=actor, action="soap_week.result_set", target=week, data={"value": value})
    return week


# --- the list of unfilled programs ---------------------------------------------------------


@dataclass
class ImportResult:
    list_import: ListImport | None
    created: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


def list_import(*, actor: User, week: SoapWeek, text: str, round_: int = 0) -> ImportResult:
    """Import one round's copy of the list; good rows import even when others fail. An
    import with no good row changes nothing. Re-importing a round replaces that round.
    A drill's imports are fictitious (practice data, labelled as such) whoever supplied
    them, the sample list or the applicant's own paste or file; the real week's never are."""
    rounds = len(selectors.match_week(week.season).rounds)
    if not 0 <= round_ <= rounds:
        raise ValidationFailed(
            errors={"round": [_("Choose Monday's list (0) or a round from 1 to %d.") % rounds]}
        )
    parsed = importing.parse(text)
    errors = [{"row": line, "message": message} for line, message in parsed.errors]
    if not parsed.rows:
        if not errors:
            errors = [{"row": 0, "message": _("The list is empty: paste rows or choose a file.")}]
        return ImportResult(list_import=None, errors=errors)
    with transaction.atomic():
        ListImport.objects.filter(week=week, round=round_).delete()
        imported = ListImport.objects.create(
            week=week, round=round_, imported_at=clock.now(), fictitious=week.is_drill
        )
        UnfilledProgram.objects.bulk_create(
            UnfilledProgram(list_import=imported, **row.__dict__) for row in parsed.rows
        )
        audit_record(
            actor=actor,
            action="soap_list.imported",
            target=week,
            data={
                "round": round_,
                "rows": len(parsed.rows),
                "errors": len(errors),
                "fictitious": imported.fictitious,
            },
        )
    return ImportResult(list_import=imported, created=len(parsed.rows), errors=errors)


def list_delete(*, actor: User, week: SoapWeek) -> int:
    """Delete every imported copy of the list for this week (one click)."""
    with transaction.atomic():
        count, _detail = ListImport.objects.filter(week=week).delete()
        audit_record(actor=actor, action="soap_list.deleted", target=week)
    return count


# --- applications ---------------------------------------------------------------------------


def _refuse_if_accepted(week: SoapWeek) -> None:
    if week.offers.filter(status=OfferStatus.ACCEPTED).exists():
        raise OfferAlreadyAccepted()


def _program_name(week: SoapWeek, code: str) -> str:
    row = (
        UnfilledProgram.objects.filter(list_import__week=week, program_code=code)
        .order_by("-list_import__round")
        .values_list("name", flat=True)
        .first()
    )
    return row or ""


def _check_code(code: str) -> str:
    code = (code or "").strip().upper()
    if not importing.PROGRAM_CODE.match(code):
        raise ValidationFailed(
            errors={"program_code": [_("A program code is 7 digits, a letter and 1-3 digits.")]}
        )
    return code


def _documents(
    week: SoapWeek, letter_ids: Sequence[int], statement_version_id: int | None
) -> tuple[list[Letter], StatementVersion | None]:
    limit = int(selectors.eras_fact(MAX_LETTERS_FACT).value)
    if len(set(letter_ids)) > limit:
        raise ValidationFailed(
            errors={"letter_ids": [_("Attach at most %d letters to one program.") % limit]}
        )
    letters = list(
        Letter.objects.filter(
            pk__in=set(letter_ids),
            request__applicant=week.applicant,
            request__status=LetterStatus.UPLOADED,
        )
    )
    if len(letters) != len(set(letter_ids)):
        raise ValidationFailed(
            errors={"letter_ids": [_("Choose among your own uploaded letters.")]}
        )
    version = None
    if statement_version_id is not None:
        version = StatementVersion.objects.filter(
            pk=statement_version_id, statement__applicant=week.applicant
        ).first()
        if version is None:
            raise ValidationFailed(
                errors={"statement_version_id": [_("Choose one of your own statement versions.")]}
            )
    return letters, version


def _both_zones(instant: dt.datetime, zone: str) -> dict[str, str]:
    eastern = format_when(instant, "America/New_York")
    local = format_when(instant, zone)
    return {"eastern": eastern, "local": local, "zone": zone}


def _refuse_outside_window(week: SoapWeek, at: dt.datetime) -> None:
    """Sending is possible only from ERAS's opening for SOAP (Monday 11:00 ET in the data)
    to the end of SOAP, on the week's own clock (a drill's simulated one)."""
    data = selectors.match_week(week.season)
    if data.applications_open_at(at):
        return
    opens = data.event("applications_open")
    ends = data.event("soap_ends")
    zone = week.applicant.timezone or "America/New_York"
    when = _both_zones(opens.starts_at, zone)
    if at < opens.starts_at:
        message = (
            _(
                "SOAP applications open in ERAS on %(eastern)s (US Eastern Time), which is "
                "%(local)s in your time zone (%(zone)s). Until then you can add programs to your "
                "applications, but not mark them sent."
            )
            % when
        )
    else:
        message = _(
            "SOAP is over: it ended on %(ended)s (US Eastern Time). Applications could be "
            "marked sent from %(eastern)s (US Eastern Time; %(local)s in your time zone, "
            "%(zone)s) until then."
        ) % {**when, "ended": _both_zones(ends.starts_at, zone)["eastern"]}
    if not opens.confirmed:
        message += " " + _("This time is not confirmed for the %s season.") % data.season
    if week.is_drill and at < opens.starts_at:
        message += " " + _("In a drill, skip ahead to that time.")
    raise InvalidTransition(
        message,
        extra={
            "opens_at": opens.starts_at.isoformat(),
            "closes_at": ends.starts_at.isoformat(),
            "confirmed": opens.confirmed,
        },
    )


def _refuse_if_cannot_send(week: SoapWeek, at: dt.datetime) -> None:
    _refuse_outside_window(week, at)
    current = selectors.match_week(week.season).round_at(at)
    if current is not None:
        raise InvalidTransition(
            _(
                "Offer round %d is open: applications cannot be sent during an offer round. "
                "Answer your offers; you can send the rest after the round."
            )
            % current.number
        )


def applications_add(
    *,
    actor: User,
    week: SoapWeek,
    codes: Iterable[str],
    letter_ids: Sequence[int] = (),
    statement_version_id: int | None = None,
    sent: bool = False,
) -> list[SoapApplication]:
    """Record applications to these programs (all or none). More than the season's limit
    in total → `SoapLimit`; after an accepted offer → `OfferAlreadyAccepted`. With `sent`,
    outside the sending window (before ERAS opens for SOAP, after SOAP ends) or during an
    offer round → `InvalidTransition`; picking without sending is allowed at any time."""
    wanted = list(dict.fromkeys(_check_code(c) for c in codes))
    if not wanted:
        raise ValidationFailed(errors={"program_code": [_("Choose at least one program.")]})
    letters, version = _documents(week, letter_ids, statement_version_id)
    limit = selectors.application_limit()
    now = selectors.week_now(week)
    if sent:
        _refuse_if_cannot_send(week, now)
    with booking_transaction():
        lock_for_update(SoapWeek, [week.pk])
        _refuse_if_accepted(week)
        existing = set(week.applications.values_list("program_code", flat=True))
        twice = [c for c in wanted if c in existing]
        if twice:
            raise ValidationFailed(
                errors={"program_code": [_("Already in your applications: %s.") % ", ".join(twice)]}
            )
        used = len(existing)
        if used + len(wanted) > limit:
            raise SoapLimit(
                _("SOAP allows %(limit)d applications in all; you have %(left)d left.")
                % {"limit": limit, "left": max(limit - used, 0)},
                extra={"limit": limit, "remaining": max(limit - used, 0)},
            )
        created = []
        for code in wanted:
            application = SoapApplication.objects.create(
                week=week,
                program_code=code,
                program_name=_program_name(week, code),
                statement_version=version,
                sent_at=now if sent else None,
            )
            if letters:
                application.letters.set(letters)
            created.append(application)
        audit_record(
            actor=actor,
            action="soap_application.added",
            target=week,
            data={"codes": wanted, "sent": sent, "at": now.isoformat()},
        )
    return created


def application_documents_set(
    *,
    actor: User,
    application: SoapApplication,
    letter_ids: Sequence[int],
    statement_version_id: int | None,
) -> SoapApplication:
    letters, version = _documents(application.week, letter_ids, statement_version_id)
    application.letters.set(letters)
    application.statement_version = version
    application.save(update_fields=["statement_version", "updated_at"])
    audit_record(actor=actor, action="soap_application.documents_set", target=application)
    return application


def applications_mark_sent(
    *, actor: User, week: SoapWeek, applications: Sequence[SoapApplication]
) -> int:
    """Mark picked applications as sent in ERAS; refused before ERAS opens for SOAP, after
    SOAP ends, during an offer round (`InvalidTransition`) and after an accepted offer."""
    now = selectors.week_now(week)
    _refuse_if_cannot_send(week, now)
    with booking_transaction():
        lock_for_update(SoapWeek, [week.pk])
        _refuse_if_accepted(week)
        count = SoapApplication.objects.filter(
            week=week, pk__in=[a.pk for a in applications], sent_at__isnull=True
        ).update(sent_at=now, updated_at=clock.now())
        audit_record(
            actor=actor,
            action="soap_application.sent",
            target=week,
            data={"count": count, "at": now.isoformat()},
        )
    return count


def application_remove(*, actor: User, application: SoapApplication) -> None:
    if application.sent_at is not None:
        raise InvalidTransition(_("A sent application stays on the record."))
    week = application.week
    code = application.program_code
    application.delete()
    audit_record(actor=actor, action="soap_application.removed", target=week, data={"code": code})


# --- offers ---------------------------------------------------------------------------------


def offers_expire(*, week: SoapWeek, at: dt.datetime | None = None) -> int:
    """Open offers whose window has closed become expired; running it twice changes nothing."""
    at = at or selectors.week_now(week)
    ids = list(
        week.offers.filter(status=OfferStatus.OPEN, expires_at__lte=at).values_list("pk", flat=True)
    )
    if not ids:
        return 0
    with transaction.atomic():
        count = SoapOffer.objects.filter(pk__in=ids, status=OfferStatus.OPEN).update(
            status=OfferStatus.EXPIRED, decided_at=at, updated_at=clock.now()
        )
        if count:
            audit_record(
                actor=None,
                action="soap_offer.expired",
                target=week,
                data={"offers": ids, "at": at.isoformat()},
            )
    return count


def offer_record(
    *,
    actor: User | None,
    week: SoapWeek,
    program_code: str,
    round_: int,
    received_at: dt.datetime | None = None,
    scripted: bool = False,
) -> SoapOffer:
    code = _check_code(program_code)
    schedule_round = selectors.match_week(week.season).round_number(round_)
    if schedule_round is None:
        raise ValidationFailed(errors={"round": [_("There is no offer round %d.") % round_]})
    received = received_at or selectors.week_now(week)
    with booking_transaction():
        lock_for_update(SoapWeek, [week.pk])
        _refuse_if_accepted(week)
        if week.offers.filter(program_code=code).exists():
            raise InvalidTransition(
                _(
                    "This program already made you an offer. A declined or expired offer is "
                    "not repeated in a later round."
                )
            )
        offer = SoapOffer.objects.create(
            week=week,
            program_code=code,
            program_name=_program_name(week, code),
            round=round_,
            received_at=received,
            expires_at=schedule_round.ends_at,
            scripted=scripted,
        )
        audit_record(
            actor=actor,
            action="soap_offer.recorded",
            target=offer,
            data={"round": round_, "received_at": received.isoformat()},
        )
    return offer


def offer_accept(*, actor: User, offer: SoapOffer) -> SoapOffer:
    """Binding: every other open offer of the week is lost; nothing more can be recorded."""
    week = offer.week
    now = selectors.week_now(week)
    offers_expire(week=week, at=now)
    with booking_transaction():
        lock_for_update(SoapWeek, [week.pk])
        _refuse_if_accepted(week)
        offer.refresh_from_db()
        if offer.status != OfferStatus.OPEN:
            raise InvalidTransition(
                _("This offer is %s and can no longer be accepted.") % offer.get_status_display()
            )
        offer.status = OfferStatus.ACCEPTED
        offer.decided_at = now
        offer.save(update_fields=["status", "decided_at", "updated_at"])
        lost = week.offers.filter(status=OfferStatus.OPEN).exclude(pk=offer.pk)
        lost_ids = list(lost.values_list("pk", flat=True))
        lost.update(status=OfferStatus.LOST, decided_at=now, updated_at=clock.now())
        audit_record(
            actor=actor,
            action="soap_offer.accepted",
            target=offer,
            data={"at": now.isoformat(), "lost": lost_ids},
        )
    return offer


def offer_decline(*, actor: User, offer: SoapOffer) -> SoapOffer:
    week = offer.week
    now = selectors.week_now(week)
    offers_expire(week=week, at=now)
    with booking_transaction():
        lock_for_update(SoapWeek, [week.pk])
        offer.refresh_from_db()
        if offer.status != OfferStatus.OPEN:
            raise InvalidTransition(
                _("This offer is %s and can no longer be declined.") % offer.get_status_display()
            )
        offer.status = OfferStatus.DECLINED
        offer.decided_at = now
        offer.save(update_fields=["status", "decided_at", "updated_at"])
        audit_record(
            actor=actor, action="soap_offer.declined", target=offer, data={"at": now.isoformat()}
        )
    return offer
