"""Authorization matrix entries for the specialty explorer (see tests/access.py).

The pages are public; a signed-in applicant additionally sees their own evidence on them
(tested in test_evidence.py: nobody else's ever appears)."""

from tests.access import Rule

URL_RULES = {
    "specialties:index": Rule.public(),
    "specialties:compare": Rule.public(),
    "specialties:detail": Rule.public(kwargs={"code": "140"}),
}
