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
