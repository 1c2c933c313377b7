"""Match outcomes and specialty profiles are data: every CSV row becomes a row with its
source; a blank cell stays None (never 0); loading twice changes nothing."""

import csv

import pytest

from matchway.reference.loader import COUNT_FIELDS, DATA_DIR, load_all
from matchway.reference.models import MatchOutcome, Specialty
from matchway.reference.selectors import application_service, signal_facts

pytestmark = pytest.mark.django_db


def _csv(name):
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_outcome_row_is_loaded_with_its_source(reference_data):
    rows = _csv("match_outcomes.csv")
    assert MatchOutcome.objects.count() == len(rows)
    for row in rows:
        outcome = MatchOutcome.objects.get(year=int(row["year"]), label=row["specialty"])
        assert outcome.source_url == row["source_url"] and outcome.source_url.startswith("https://")
        assert outcome.source_label == row["source_label"] and outcome.source_label
        for name in COUNT_FIELDS:
            expected = int(row[name]) if row[name] else None
            assert getattr(outcome, name) == expected, (row, name)


def test_outcome_rows_link_to_specialties_by_name_and_scope(reference_data):
    neuro = MatchOutcome.objects.get(year=2025, label="Neurology - PGY-1 positions")
    assert neuro.specialty_id == "180" and neuro.scope == "PGY-1 positions"
    fm = MatchOutcome.objects.get(year=2024, label="Family Medicine (incl. combined programs)")
    assert fm.specialty_id == "120" and fm.scope == "incl. combined programs"
    assert MatchOutcome.objects.get(year=2025, label="ALL PGY-1").specialty is None


def test_loading_twice_changes_nothing(reference_data):
    before = list(MatchOutcome.objects.order_by("pk").values())
    load_all()
    assert list(MatchOutcome.objects.order_by("pk").values()) == before


def test_fill_rate_needs_both_figures(reference_data):
    im = MatchOutcome.objects.get(year=2025, label="Internal Medicine (Categorical)")
    assert im.fill_rate == round(100 * 10584 / 10941, 1)
    assert MatchOutcome.objects.get(year=2024, label="Pediatrics").fill_rate is None


def test_profiles_give_every_specialty_a_description_and_no_invented_training_length(
    reference_data,
):
    assert not Specialty.objects.filter(description="").exists()
    # No source gives training length per specialty yet: none is loaded.
    assert not Specialty.objects.filter(training_years__isnull=False).exists()


def test_application_service_and_signals_come_from_the_data(reference_data):
    assert application_service(Specialty.objects.get(code="110")) == "ResidencyCAS"
    assert application_service(Specialty.objects.get(code="240")) == "SF Match"
    assert application_service(Specialty.objects.get(code="140")) == "ERAS"
    facts = signal_facts(Specialty.objects.get(code="140"))
    assert facts is not None
    assert (facts.gold, facts.silver, facts.season) == (3, 12, "ERAS 2025")
    assert facts.current_season == "ERAS 2027" and not facts.is_current
    assert signal_facts(Specialty.objects.get(code="480")) is None
