"""The cockpit pages: privacy (404 for everyone else), the hour-by-hour week, the bulk
paths, the offer board and the exports."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from matchway.soap import samples, services
from matchway.soap.models import SoapWeek, WeekKind

from .conftest import APPLICATIONS_OPEN, BEFORE_OPEN, ROUND_1

pytestmark = [pytest.mark.django_db]


def _import(client: Client, text: str, name: str = "soap:list-import") -> Any:
    return client.post(reverse(name), {"text": text, "round": "0"})


@pytest.mark.parametrize("other", ["outsider_client", "coordinator_client", "preceptor_client"])
def test_the_imported_list_is_never_shown_to_anyone_else(
    monday: Any, request: pytest.FixtureRequest, applicant_client: Client, other: str
) -> None:
    _import(applicant_client, samples.sample_csv(5))
    week = SoapWeek.objects.get(kind=WeekKind.REAL)
    first = week.imports.get().rows.first()
    assert first is not None
    assert first.name in applicant_client.get(reverse("soap:list")).content.decode()
    client: Client = request.getfixturevalue(other)
    response = client.get(reverse("soap:list"))
    if other == "outsider_client":
        # Another applicant has their own, empty cockpit: never this one's rows.
        assert response.status_code == 200
        assert first.name not in response.content.decode()
    else:
        assert response.status_code == 404
        assert client.get(reverse("soap:index")).status_code == 404
        assert client.get(reverse("soap:export", kwargs={"fmt": "csv"})).status_code == 404


def test_week_page_shows_both_zones_and_unconfirmed(monday: Any, kolkata_client: Client) -> None:
    html = kolkata_client.get(reverse("soap:index")).content.decode()
    assert "Projected / unconfirmed." in html
    assert "Mon 15 Mar 10:00" in html  # ET
    assert "Mon 15 Mar 19:30" in html  # Kolkata
    assert "/guides/soap-for-imgs/" in html
    assert "What the rules forbid" in html


def test_import_errors_per_row_and_bulk_send(monday: Any, applicant_client: Client) -> None:
    response = _import(applicant_client, samples.sample_csv(50) + "bad,row\n")
    assert response.status_code == 302
    page = applicant_client.get(reverse("soap:list"))
    html = page.content.decode()
    assert "Imported 50 programs" in html and "Row 52:" in html
    codes = [r["program_code"] for r in samples.sample_rows(50) if r["soap_participating"] == "yes"]
    response = applicant_client.post(
        reverse("soap:applications-add"), {"code": codes[:45], "action": "send"}
    )
    assert response.status_code == 302
    week = SoapWeek.objects.get(kind=WeekKind.REAL)
    assert week.applications.filter(sent_at__isnull=False).count() == 45
    refused = applicant_client.post(
        reverse("soap:applications-add"), {"code": codes[45:46], "action": "add"}, follow=True
    )
    assert "45 applications in all; you have 0 left" in refused.content.decode()


def test_sending_before_eras_opens_says_when(
    at: Any, applicant_client: Client, applicant: Any
) -> None:
    at(BEFORE_OPEN)
    applicant_client.force_login(applicant)  # a session from before the jump has expired
    _import(applicant_client, samples.sample_csv(5))
    a, b = (r["program_code"] for r in samples.sample_rows(2))
    refused = applicant_client.post(
        reverse("soap:applications-add"), {"code": [a], "action": "send"}, follow=True
    )
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "SOAP applications open in ERAS on Mon 15 Mar, 11:00 EDT" in html
    week = SoapWeek.objects.get(kind=WeekKind.REAL)
    assert not week.applications.exists()
    applicant_client.post(reverse("soap:applications-add"), {"code": [a, b], "action": "add"})
    ids = [str(pk) for pk in week.applications.values_list("pk", flat=True)]
    assert len(ids) == 2
    refused = applicant_client.post(
        reverse("soap:applications-send"), {"application": ids}, follow=True
    )
    assert refused.status_code == 200
    assert "Until then you can add programs" in refused.content.decode()
    assert not week.applications.filter(sent_at__isnull=False).exists()
    at(APPLICATIONS_OPEN)
    applicant_client.force_login(applicant)
    sent = applicant_client.post(
        reverse("soap:applications-send"), {"application": ids}, follow=True
    )
    assert "2 applications marked sent." in sent.content.decode()


def test_list_query_count_is_pinned(
    monday: Any, applicant_client: Client, django_assert_num_queries: Any
) -> None:
    _import(applicant_client, samples.sample_csv(120))
    applicant_client.get(reverse("soap:list"))
    with django_assert_num_queries(15):
        applicant_client.get(reverse("soap:list") + "?visa=j1&state=NY")


def test_offer_board_counts_down_and_binds(
    at: Any, applicant_client: Client, applicant: Any
) -> None:
    at(ROUND_1)
    applicant_client.force_login(applicant)  # a session from before the jump has expired
    week = services.week_get_or_create(applicant)
    a, b = (r["program_code"] for r in samples.sample_rows(2))
    first = services.offer_record(actor=applicant, week=week, program_code=a, round_=1)
    services.offer_record(actor=applicant, week=week, program_code=b, round_=1)
    html = applicant_client.get(reverse("soap:offers")).content.decode()
    assert 'data-seconds-left="5400"' in html and "1 h 30 min left" in html
    assert "js/soap.js" in html and "<script>" not in html
    applicant_client.post(
        reverse("soap:offer-answer", kwargs={"pk": first.pk}), {"answer": "accept"}
    )
    html = applicant_client.get(reverse("soap:offers")).content.decode()
    assert "you accepted another offer, which is binding" in html
    assert "Acceptance is binding" in html


def test_exports_guard_formulas(monday: Any, applicant_client: Client, applicant: Any) -> None:
    week = services.week_get_or_create(applicant)
    text = '1000140C0,=HYPERLINK("x"),Internal Medicine,C,NY,1,yes\n'
    services.list_import(actor=applicant, week=week, text=text)
    services.applications_add(actor=applicant, week=week, codes=["1000140C0"])
    response = applicant_client.get(reverse("soap:export", kwargs={"fmt": "csv"}))
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body
    pdf = applicant_client.get(reverse("soap:export", kwargs={"fmt": "pdf"}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert applicant_client.get(reverse("soap:export", kwargs={"fmt": "xls"})).status_code == 404
