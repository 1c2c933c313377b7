"""Public specialty pages: every figure is the data row it came from, with its source; a
missing figure reads "not available", never 0; every chart has a table twin; compare
validates its codes; query counts are pinned."""

from __future__ import annotations

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma

from matchway.guides.tests.factories import ArticleFactory, TagFactory
from matchway.reference.models import MatchOutcome, Specialty

from .html import read

pytestmark = pytest.mark.django_db

FIELDS = (
    "positions_offered",
    "filled_total",
    "unfilled",
    "filled_us_md",
    "filled_us_do",
    "filled_us_img",
    "filled_non_us_img",
)


def _expected(outcome: MatchOutcome, field: str) -> str:
    if field == "fill_rate":
        return "not available" if outcome.fill_rate is None else f"{intcomma(outcome.fill_rate)}%"
    if field == "applicants":
        return "not available"  # no applicant counts in the data yet
    value = getattr(outcome, field)
    return "not available" if value is None else intcomma(value)


def _check_rows(html: str) -> int:
    page = read(html)
    checked = 0
    for pk, cells in page.rows:
        outcome = MatchOutcome.objects.get(pk=pk)
        for field, text in cells.items():
            if field == "source":
                assert text.strip() == outcome.source_label
            elif field == "source_url":
                assert text == outcome.source_url
            else:
                assert text.strip() == _expected(outcome, field), (outcome, field, text)
                checked += 1
        assert cells["source_url"] == outcome.source_url
    return checked


@pytest.mark.parametrize("code", ["140", "120", "180", "300", "080"])
def test_every_outcome_figure_is_its_data_row_with_source(anonymous, reference_data, code):
    response = anonymous.get(f"/specialties/{code}/")
    assert response.status_code == 200
    html = response.content.decode()
    rows = MatchOutcome.objects.filter(specialty_id=code)
    shown = {pk for pk, _cells in read(html).rows}
    assert set(rows.values_list("pk", flat=True)) <= shown
    assert _check_rows(html) > 0


def test_blank_figures_read_not_available_never_zero(anonymous, reference_data):
    html = anonymous.get("/specialties/320/").content.decode()  # 2024 has "unfilled" only
    row = MatchOutcome.objects.get(year=2024, label="Pediatrics")
    cells = dict(read(html).rows)[row.pk]
    assert cells["positions_offered"].strip() == "not available"
    assert cells["unfilled"].strip() == "251"


def test_every_chart_has_title_desc_and_a_table_twin(anonymous, reference_data):
    for url in ("/specialties/140/", "/specialties/120/", "/specialties/compare/?codes=140,120"):
        page = read(anonymous.get(url).content.decode())
        assert page.charts, url
        for chart in page.charts:
            assert chart["labelledby"] == f"{chart['title_id']} {chart['desc_id']}"
            assert chart["title"].strip() and chart["desc"].strip()
            assert f"{chart['id']}-table" in page.tables, (url, chart["id"])


def test_detail_shows_description_service_signals_and_links(anonymous, reference_data):
    tag = TagFactory(name="Internal Medicine", slug="internal-medicine")
    ArticleFactory(title="Rotations in internal medicine", tags=[tag])
    html = anonymous.get("/specialties/140/").content.decode()
    im = Specialty.objects.get(code="140")
    assert im.description in html
    assert "ERAS" in html and "3 gold + 12 silver" in html
    assert "Unconfirmed for ERAS 2027" in html
    assert "/rotations/?specialty=140" in html
    assert "Rotations in internal medicine" in html
    assert "Training length" not in html  # no sourced value: omitted, not invented


def test_other_application_service_is_shown(anonymous, reference_data):
    assert "ResidencyCAS" in anonymous.get("/specialties/110/").content.decode()


def test_unknown_specialty_is_404(anonymous, reference_data):
    assert anonymous.get("/specialties/nope/").status_code == 404


def test_list_links_every_specialty(anonymous, reference_data):
    html = anonymous.get("/specialties/").content.decode()
    for code in Specialty.objects.values_list("code", flat=True):
        assert f'href="/specialties/{code}/"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("codes=140", "Compare 2 or 3 specialties"),
        ("codes=140,120,300,320", "Compare 2 or 3 specialties"),
        ("codes=140,zzz", "Unknown specialty code: zzz"),
        ("codes=140,140", "Each specialty can be compared once"),
        ("codes=%3Cscript%3E,140", "Unknown specialty code: &lt;script&gt;"),
    ],
)
def test_compare_rejects_bad_codes_with_the_form(anonymous, reference_data, query, message):
    response = anonymous.get(f"/specialties/compare/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'role="alert"' in html and 'name="codes"' in html


def test_compare_accepts_comma_list_and_repeated_codes(anonymous, reference_data):
    for query in ("codes=140,120,300", "codes=140&codes=120&codes=300&codes="):
        response = anonymous.get(f"/specialties/compare/?{query}")
        assert response.status_code == 200
        html = response.content.decode()
        for name in ("Internal Medicine (Categorical)", "Family Medicine", "Pathology"):
            assert name in html


def test_compare_without_codes_shows_the_form(anonymous, reference_data):
    response = anonymous.get("/specialties/compare/")
    assert response.status_code == 200 and 'name="codes"' in response.content.decode()


def test_compare_start_preselects_without_an_error(anonymous, reference_data):
    response = anonymous.get("/specialties/compare/?start=140")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="140" selected>' in html and 'role="alert"' not in html


def test_compare_fill_rate_is_the_data(anonymous, reference_data):
    html = anonymous.get("/specialties/compare/?codes=140,160").content.decode()
    assert "96.7%" in html  # 10,584 / 10,941 (2025)
    assert "98.9%" in html  # Neurological Surgery 265 / 268 (2025)


def test_nav_links_to_specialties(anonymous, reference_data):
    assert 'href="/specialties/"' in anonymous.get("/").content.decode()


def test_query_counts_anonymous(anonymous, reference_data, django_assert_num_queries):
    with django_assert_num_queries(2):  # specialties + outcomes
        assert anonymous.get("/specialties/").status_code == 200
    with django_assert_num_queries(4):  # specialty + outcomes, whole-Match rows, guides
        assert anonymous.get("/specialties/140/").status_code == 200
