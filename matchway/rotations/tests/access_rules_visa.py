"""Authorization matrix rows for visa letters (/visa-letters/). Letters of others answer
404 (hidden); wrong roles get 403 from `role_required`."""

from __future__ import annotations

from tests.access import Rule

_PK = {"pk": 999999}

URL_RULES = {
    "visa_letters:verify": Rule.public(kwargs={"number": "VL-AAAAAAAAAA"}),
    "visa_letters:queue": Rule.only("coordinator"),
    "visa_letters:request": Rule.only("applicant", kwargs={"application_id": 999999}),
    "visa_letters:detail": Rule.signed_in(kwargs=_PK),
    "visa_letters:download": Rule.signed_in(kwargs=_PK),
    "visa_letters:issue": Rule.only("coordinator", method="post", kwargs=_PK),
    "visa_letters:refuse": Rule.only("coordinator", kwargs=_PK),
    "visa_letters:revoke": Rule.only("coordinator", kwargs=_PK),
}
