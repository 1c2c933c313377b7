import pytest

pytestmark = pytest.mark.django_db


def test_specialties_are_public(anonymous, reference_data):
    response = anonymous.get("/api/v1/specialties")
    assert response.status_code == 200
    codes = {row["code"] for row in response.json()}
    assert codes
    assert set(response.json()[0]) == {
        "code",
        "name",
        "category",
        "eras_participating",
        "match_type",
    }


def test_specialty_detail_lists_outcomes_with_sources(anonymous, reference_data):
    response = anonymous.get("/api/v1/specialties/140")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "code",
        "name",
        "description",
        "application_service",
        "training_years",
        "signals",
        "outcomes",
    }
    assert body["application_service"] == "ERAS" and body["training_years"] is None
    assert body["signals"]["gold"] == 3 and body["signals"]["season"] == "ERAS 2025"
    row = next(o for o in body["outcomes"] if o["year"] == 2025)
    assert row["positions_offered"] == 10941 and row["filled_us_img"] == 1145
    assert row["filled_us_md"] is None  # blank in the data: null, never 0
    assert row["source"].startswith("https://") and row["source_label"]


def test_specialty_detail_unknown_code_is_404_json(anonymous, reference_data):
    response = anonymous.get("/api/v1/specialties/nope")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_specialty_without_signals_has_null(anonymous, reference_data):
    assert anonymous.get("/api/v1/specialties/480").json()["signals"] is None
