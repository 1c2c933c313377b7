from tests.access import Rule

API_RULES = {
    "reference_specialty_list": Rule.public(),
}
