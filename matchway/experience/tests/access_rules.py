"""Authorization matrix rows for the rotation experience (journal, attendance, evaluations,
ERAS drafts, certificates) and its API operations.

Object pages use ids that do not exist: every role that may open the page gets 404 there
(hidden means 404), roles that may never do it get 403 first. The journal is the
applicant's and shared preceptors' only: a coordinator gets 404 on every journal URL.
"""

from __future__ import annotations

from tests.access import Rule

APP = {"application_id": 999999}
ENTRY = {"application_id": 999999, "entry_id": 999999}
EVALUATION = {"evaluation_id": 999999}
VERSION = {"application_id": 999999, "number": 1}
NUMBER = {"number": "MW-AAAAAAAAAA"}

URL_RULES = {
    "experience:index": Rule.signed_in(),
    "experience:overview": Rule.signed_in(kwargs=APP),
    # Journal: the owner, or a preceptor of the rotation for shared entries.
    "experience:journal": Rule.only("applicant", "preceptor", kwargs=APP),
    "experience:journal-new": Rule.only(
        "applicant", method="post", kwargs={**APP, "kind": "reflection"}
    ),
    "experience:journal-summary": Rule.only("applicant", kwargs=APP),
    "experience:journal-export-csv": Rule.only("applicant", kwargs=APP),
    "experience:journal-export-pdf": Rule.only("applicant", kwargs=APP),
    "experience:journal-entry": Rule.only("applicant", "preceptor", kwargs=ENTRY),
    "experience:journal-edit": Rule.only("applicant", kwargs=ENTRY),
    "experience:journal-autosave": Rule.only("applicant", method="post", kwargs=ENTRY),
    "experience:journal-phi-replace": Rule.only("applicant", method="post", kwargs=ENTRY),
    "experience:journal-phi-dismiss": Rule.only("applicant", method="post", kwargs=ENTRY),
    "experience:journal-share": Rule.only("applicant", method="post", kwargs=ENTRY),
    "experience:journal-comment": Rule.only("applicant", "preceptor", method="post", kwargs=ENTRY),
    "experience:journal-delete": Rule.only("applicant", method="post", kwargs=ENTRY),
    # Attendance and evaluations: owner, preceptors of the rotation, coordinators.
    "experience:attendance": Rule.signed_in(kwargs=APP),
    "experience:evaluations": Rule.signed_in(kwargs=APP),
    "experience:self-assessment": Rule.only("applicant", method="post", kwargs=APP),
    "experience:evaluation-request-external": Rule.only("coordinator", kwargs=APP),
    "experience:evaluation-request-preceptors": Rule.only("coordinator", method="post", kwargs=APP),
    "experience:evaluations-pending": Rule.only("coordinator", "preceptor"),
    "experience:evaluation-edit": Rule.only("applicant", "preceptor", kwargs=EVALUATION),
    "experience:evaluation-addendum": Rule.only("applicant", "preceptor", kwargs=EVALUATION),
    "experience:evaluation-remind": Rule.only("coordinator", method="post", kwargs=EVALUATION),
    "experience:evaluation-external": Rule.token(kwargs={"token": "not-a-real-token"}),
    # ERAS drafts: the applicant's own.
    "experience:eras-draft": Rule.only("applicant", kwargs=APP),
    "experience:eras-generate": Rule.only("applicant", method="post", kwargs=APP),
    "experience:eras-export": Rule.only("applicant", kwargs=APP),
    "experience:eras-version": Rule.only("applicant", kwargs=VERSION),
    "experience:eras-restore": Rule.only("applicant", method="post", kwargs=VERSION),
    # Certificates: verify and the public key are public; the rest is private.
    "certificates:verify": Rule.public(kwargs=NUMBER),
    "certificates:public-key": Rule.public(),
    "certificates:list": Rule.only("applicant", "coordinator"),
    "certificates:issue": Rule.only("coordinator", kwargs=APP),
    "certificates:detail": Rule.only("applicant", "coordinator", kwargs=NUMBER),
    "certificates:status": Rule.only("applicant", "coordinator", kwargs=NUMBER),
    "certificates:download": Rule.only("applicant", "coordinator", kwargs=NUMBER),
    "certificates:revoke": Rule.only("coordinator", kwargs=NUMBER),
    "certificates:retry": Rule.only("coordinator", method="post", kwargs=NUMBER),
}

API_RULES = {
    "rotations_phi_check": Rule.signed_in(
        method="post",
        body={"text": "Seen with Dr. Smith on rounds."},
        note="Nothing is stored or logged.",
    ),
    "rotations_certificate_get": Rule.public(kwargs=NUMBER),
}
