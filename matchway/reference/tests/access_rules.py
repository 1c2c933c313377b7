from tests.access import Rule

API_RULES = {
    "reference_specialty_list": Rule.public(),
    "reference_specialty_get": Rule.public(kwargs={"code": "140"}),
}
