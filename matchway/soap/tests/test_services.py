"""The cockpit's rules: import with bad rows, the 45 limit, binding acceptance, no repeat
offers, expiry, no sending during a round, filters and the visa join."""

from __future__ import annotations

from typing import Any

import pytest

from matchway.core.exceptions import (
    InvalidTransition,
    OfferAlreadyAccepted,
    SoapLimit,
    ValidationFailed,
)
from matchway.core.models import AuditEvent
from matchway.eras.models import Program, ProgramRequirement, RequirementKind
from matchway.reference.models import Specialty
from matchway.soap import importing, samples, selectors, services
from matchway.soap.models import OfferStatus, PartialMatch, SoapWeek

from .conftest import APPLICATIONS_OPEN, BEFORE_OPEN, BETWEEN_1_AND_2, ROUND_1, ROUND_2, SOAP_OVER

pytestmark = [pytest.mark.django_db]

GOOD = "1000140C0,Sample Alpha IM,Internal Medicine,C,NY,2,yes,ERAS"


def _week(applicant: Any) -> SoapWeek:
    return services.week_get_or_create(applicant)


def _codes(n: int) -> list[str]:
    return [r["program_code"] for r in samples.sample_rows(n)]


def test_parse_reports_each_bad_row_and_keeps_the_good_ones() -> None:
    text = "\n".join(
        [
            importing.COLUMNS[0] + "," + ",".join(importing.COLUMNS[1:]),
            GOOD,
            "12AB,Bad code,Internal Medicine,C,NY,2,yes,ERAS",
            "1000140P0,Wrong letter,Internal Medicine,C,NY,2,yes,ERAS",
            "1000150C0,No number,Pediatrics,C,NY,many,maybe,fax",
            GOOD.replace("Alpha", "Again"),
            "1000160A0,Sample Beta,Neurology,advanced,ca,1,no,",
        ]
    )
    parsed = importing.parse(text)
    assert [r.program_code for r in parsed.rows] == ["1000140C0", "1000160A0"]
    assert parsed.rows[1].state == "CA" and parsed.rows[1].application_service == "eras"
    lines = dict(parsed.errors)
    assert sorted(lines) == [3, 4, 5, 6]
    assert "program code" in lines[3].lower()
    assert "does not match" in lines[4]
    assert "whole number" in lines[5] and "yes or no" in lines[5] and "ResidencyCAS" in lines[5]
    assert "appears twice" in lines[6]


def test_paste_from_a_web_table_uses_tabs_without_a_header() -> None:
    parsed = importing.parse(GOOD.replace(",", "\t") + "\n\n")
    assert len(parsed.rows) == 1 and not parsed.errors


def test_import_versions_by_round_and_shows_changes(applicant: Any, monday: Any) -> None:
    week = _week(applicant)
    first = services.list_import(actor=applicant, week=week, text=samples.sample_csv(30))
    assert first.created == 30 and not first.errors
    second = services.list_import(
        actor=applicant, week=week, text=samples.sample_csv(30, round_=1), round_=1
    )
    assert second.list_import is not None
    change = selectors.list_changes(week, second.list_import)
    assert change is not None and change.removed and change.added
    assert selectors.list_changes(week, first.list_import) is None  # type: ignore[arg-type]
    # Re-importing a round replaces it; an import with no good row changes nothing.
    again = services.list_import(actor=applicant, week=week, text="junk", round_=1)
    assert again.list_import is None and again.errors
    assert week.imports.count() == 2
    assert services.list_delete(actor=applicant, week=week) > 0
    assert week.imports.count() == 0
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"soap_list.imported", "soap_list.deleted"} <= actions


def test_the_46th_application_is_refused(applicant: Any, monday: Any) -> None:
    week = _week(applicant)
    limit = selectors.application_limit()
    assert limit == 45
    codes = _codes(limit + 1)
    services.applications_add(actor=applicant, week=week, codes=codes[:40])
    with pytest.raises(SoapLimit) as info:
        services.applications_add(actor=applicant, week=week, codes=codes[40:])
    assert info.value.extra["remaining"] == 5
    services.applications_add(actor=applicant, week=week, codes=codes[40:45], sent=True)
    with pytest.raises(SoapLimit):
        services.applications_add(actor=applicant, week=week, codes=codes[45:])
    assert week.applications.count() == 45
    with pytest.raises(ValidationFailed):
        services.applications_add(actor=applicant, week=week, codes=["bad"])


def test_nothing_is_sent_during_an_offer_round(applicant: Any, at: Any) -> None:
    at(ROUND_1)
    week = _week(applicant)
    [picked] = services.applications_add(actor=applicant, week=week, codes=_codes(1))
    with pytest.raises(InvalidTransition, match="round 1"):
        services.applications_mark_sent(actor=applicant, week=week, applications=[picked])
    at(BETWEEN_1_AND_2)
    assert services.applications_mark_sent(actor=applicant, week=week, applications=[picked]) == 1


def test_nothing_is_sent_before_eras_opens_on_monday(kolkata_applicant: Any, at: Any) -> None:
    at(BEFORE_OPEN)
    week = _week(kolkata_applicant)
    a, b = _codes(2)
    # Picking without sending is allowed at any time.
    [picked] = services.applications_add(actor=kolkata_applicant, week=week, codes=[a])
    with pytest.raises(InvalidTransition) as info:
        services.applications_mark_sent(actor=kolkata_applicant, week=week, applications=[picked])
    message = info.value.message
    # 11:00 EDT is 15:00 UTC, 20:30 in Kolkata; the 2027 time is still a projection.
    assert "Mon 15 Mar, 11:00 EDT (US Eastern Time)" in message
    assert "Mon 15 Mar, 20:30 IST in your time zone (Asia/Kolkata)" in message
    assert "not confirmed for the 2027 season" in message
    assert info.value.extra["opens_at"] == "2027-03-15T11:00:00-04:00"
    with pytest.raises(InvalidTransition, match="open in ERAS"):
        services.applications_add(actor=kolkata_applicant, week=week, codes=[b], sent=True)
    assert list(week.applications.values_list("program_code", "sent_at")) == [(a, None)]

    at(APPLICATIONS_OPEN)
    assert (
        services.applications_mark_sent(actor=kolkata_applicant, week=week, applications=[picked])
        == 1
    )
    [sent] = services.applications_add(actor=kolkata_applicant, week=week, codes=[b], sent=True)
    assert sent.sent_at == APPLICATIONS_OPEN


def test_nothing_is_sent_after_soap_ends(applicant: Any, at: Any) -> None:
    at(SOAP_OVER)
    week = _week(applicant)
    a, b = _codes(2)
    [picked] = services.applications_add(actor=applicant, week=week, codes=[a])
    with pytest.raises(InvalidTransition, match="SOAP is over") as info:
        services.applications_mark_sent(actor=applicant, week=week, applications=[picked])
    assert "Thu 18 Mar, 11:00 EDT" in info.value.message  # the end
    assert "Mon 15 Mar, 11:00 EDT" in info.value.message  # and the opening
    with pytest.raises(InvalidTransition, match="SOAP is over"):
        services.applications_add(actor=applicant, week=week, codes=[b], sent=True)
    assert not week.applications.filter(sent_at__isnull=False).exists()


def test_accepting_is_binding(applicant: Any, at: Any) -> None:
    at(ROUND_1)
    week = _week(applicant)
    a, b, c = _codes(3)
    first = services.offer_record(actor=applicant, week=week, program_code=a, round_=1)
    second = services.offer_record(actor=applicant, week=week, program_code=b, round_=1)
    services.offer_accept(actor=applicant, offer=first)
    second.refresh_from_db()
    assert second.status == OfferStatus.LOST
    with pytest.raises(OfferAlreadyAccepted):
        services.offer_accept(actor=applicant, offer=second)
    with pytest.raises(OfferAlreadyAccepted):
        services.applications_add(actor=applicant, week=week, codes=[c])
    with pytest.raises(OfferAlreadyAccepted):
        services.offer_record(actor=applicant, week=week, program_code=c, round_=2)
    assert AuditEvent.objects.filter(action="soap_offer.accepted").count() == 1


def test_declined_or_expired_offers_are_not_repeated(applicant: Any, at: Any) -> None:
    at(ROUND_1)
    week = _week(applicant)
    a, b = _codes(2)
    declined = services.offer_record(actor=applicant, week=week, program_code=a, round_=1)
    services.offer_decline(actor=applicant, offer=declined)
    services.offer_record(actor=applicant, week=week, program_code=b, round_=1)
    at(ROUND_2)
    assert services.offers_expire(week=week) == 1
    assert services.offers_expire(week=week) == 0  # idempotent
    assert AuditEvent.objects.filter(action="soap_offer.expired").count() == 1
    for code in (a, b):
        with pytest.raises(InvalidTransition, match="not repeated"):
            services.offer_record(actor=applicant, week=week, program_code=code, round_=2)
    expired = week.offers.get(program_code=b)
    with pytest.raises(InvalidTransition):
        services.offer_accept(actor=applicant, offer=expired)


def test_an_offer_past_its_window_cannot_be_accepted(applicant: Any, at: Any) -> None:
    at(ROUND_1)
    week = _week(applicant)
    offer = services.offer_record(actor=applicant, week=week, program_code=_codes(1)[0], round_=1)
    at(BETWEEN_1_AND_2)
    with pytest.raises(InvalidTransition, match="Expired"):
        services.offer_accept(actor=applicant, offer=offer)


def test_partial_match_and_filters(applicant: Any, monday: Any) -> None:
    week = _week(applicant)
    result = services.list_import(actor=applicant, week=week, text=samples.sample_csv(60))
    assert result.list_import is not None
    everything = selectors.unfilled_rows(week, result.list_import, selectors.Filters())
    assert {r.position_type for r in everything} == {"C", "P", "A"}
    services.partial_match_set(actor=applicant, week=week, value=PartialMatch.PRELIMINARY)
    only = selectors.unfilled_rows(week, result.list_import, selectors.Filters())
    assert {r.position_type for r in only} == {"A"}
    services.partial_match_set(actor=applicant, week=week, value=PartialMatch.ADVANCED)
    only = selectors.unfilled_rows(week, result.list_import, selectors.Filters())
    assert {r.position_type for r in only} == {"P"}
    services.partial_match_set(actor=applicant, week=week, value=PartialMatch.NONE)
    ny = selectors.unfilled_rows(
        week, result.list_import, selectors.Filters(state="ny", specialty="internal medicine")
    )
    assert ny and all(r.state == "NY" and r.specialty == "Internal Medicine" for r in ny)


def test_visa_join_by_nrmp_code_or_acgme_id(
    applicant: Any, outsider: Any, reference_data: None, monday: Any
) -> None:
    week = _week(applicant)
    text = (
        "program_code,name,specialty,position_type,state,unfilled_positions,"
        "soap_participating,acgme_id\n"
        "9900140C0,Sample A,Internal Medicine,C,NY,1,yes,\n"
        "9900120C0,Sample B,Family Medicine,C,NY,1,yes,1201234567\n"
        "9900320C0,Sample C,Pediatrics,C,NY,1,yes,\n"
    )
    result = services.list_import(actor=applicant, week=week, text=text)
    specialty = Specialty.objects.first()
    by_code = Program.objects.create(
        owner=applicant, acgme_id="1401234567", nrmp_code="9900140C0", name="A", specialty=specialty
    )
    by_acgme = Program.objects.create(
        owner=None, acgme_id="1201234567", name="B", specialty=specialty
    )
    not_mine = Program.objects.create(
        owner=outsider, acgme_id="3201234567", nrmp_code="9900320C0", name="C", specialty=specialty
    )
    for program, value in ((by_code, "j1,h1b"), (by_acgme, "j1"), (not_mine, "h1b")):
        ProgramRequirement.objects.create(program=program, kind=RequirementKind.VISAS, value=value)
    assert result.list_import is not None
    rows = list(result.list_import.rows.all())
    visas = selectors.visas_for(applicant, rows)
    assert visas == {"9900140C0": "j1,h1b", "9900120C0": "j1"}
    assert selectors.visa_matches(visas.get("9900140C0"), "h1b")
    assert not selectors.visa_matches(visas.get("9900320C0"), "h1b")
