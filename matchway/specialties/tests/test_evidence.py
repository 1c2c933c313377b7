"""The applicant's own evidence per specialty: only theirs, only what counts (confirmed
attendance, saved entries, submitted evaluations, uploaded letters), with next steps."""

from __future__ import annotations

import datetime as dt

import pytest

from matchway.accounts.models import ApplicantProfile
from matchway.core import clock
from matchway.experience.models import JournalKind
from matchway.experience.selectors import journal_facts
from matchway.experience.tests.factories import (
    FULL_RATINGS,
    EvaluationFactory,
    JournalEntryFactory,
    completed_application,
    confirm_days,
    running_application,
)
from matchway.letters.models import LetterRequest, LetterStatus
from matchway.letters.selectors import letter_counts_by_specialty
from matchway.reference.models import Specialty
from matchway.specialties.selectors import applicant_evidence

pytestmark = pytest.mark.django_db

FIT_IM = "The diagnostic puzzles on the medicine ward are what keep me curious."
FIT_FM = "Seeing the same families again made continuity feel real to me."
OUTSIDER_FIT = "A private thought of Charlie about psychiatry."


def _letter(applicant, code, status=LetterStatus.UPLOADED):
    return LetterRequest.objects.create(
        applicant=applicant,
        writer_name="Dr. Writer",
        writer_email="writer@example.com",
        specialty_code=code,
        status=status,
        due_date=clock.provider_today() + dt.timedelta(days=30),
    )


@pytest.fixture
def rotations(reference_data, applicant, outsider, preceptor):
    im = completed_application(
        applicant=applicant, preceptors=[preceptor], specialty=Specialty.objects.get(code="140")
    )
    confirm_days(im, preceptor, hours="8", days=5)
    JournalEntryFactory(
        application=im,
        kind=JournalKind.CASE_LOG,
        data={
            "diagnosis": "cardiovascular",
            "role": "performed",
            "procedures": "ECG interpretation, central line",
        },
    )
    JournalEntryFactory(
        application=im,
        kind=JournalKind.CASE_LOG,
        data={"complaint": "respiratory", "role": "observed", "procedures": "ecg interpretation"},
    )
    JournalEntryFactory(application=im, data={"fit": FIT_IM})
    JournalEntryFactory(application=im, data={"fit": "A draft thought."}, is_draft=True)
    EvaluationFactory(
        application=im, evaluator=preceptor, ratings=FULL_RATINGS, submitted_at=clock.now()
    )
    EvaluationFactory(  # not submitted: does not count
        application=im,
        evaluator=None,
        evaluator_name="External",
        evaluator_email="ext@example.com",
        ratings={"PC": 1},
    )
    fm = running_application(
        applicant=applicant, preceptors=[preceptor], specialty=Specialty.objects.get(code="120")
    )
    confirm_days(fm, preceptor, hours="6", days=3)
    JournalEntryFactory(application=fm, data={"fit": FIT_FM})
    _letter(applicant, "140")
    _letter(applicant, "120", status=LetterStatus.REQUESTED)  # not available yet
    profile, _created = ApplicantProfile.objects.get_or_create(user=applicant)
    profile.target_specialties.set(Specialty.objects.filter(code__in=["140", "320"]))
    theirs = completed_application(
        applicant=outsider, preceptors=[preceptor], specialty=Specialty.objects.get(code="400")
    )
    confirm_days(theirs, preceptor, hours="9", days=2)
    JournalEntryFactory(application=theirs, data={"fit": OUTSIDER_FIT})
    _letter(outsider, "400")
    return im, fm


def test_evidence_counts_only_what_counts(rotations, applicant):
    evidence = applicant_evidence(applicant)
    assert evidence is not None
    assert [s.code for s in evidence.specialties] == ["140", "120"]  # most hours first
    im = evidence.for_code("140")
    assert (im.rotations, im.days, str(im.hours)) == (1, 5, "40.0")
    assert im.cases == 2
    assert dict(im.by_role) == {"Observed": 1, "Performed under supervision": 1}
    assert dict(im.by_category) == {"Cardiovascular": 1, "Respiratory": 1}
    assert dict(im.skills) == {"ECG interpretation": 2, "central line": 1}
    assert im.fit_answers == (FIT_IM,)  # the draft is not evidence
    assert im.evaluations == 1
    assert {r.code: r.mean for r in im.ratings}["PC"] == 4
    assert im.letters == 1
    fm = evidence.for_code("120")
    assert (fm.days, str(fm.hours), fm.letters) == (3, "18.0", 0)
    assert [t.code for t in evidence.targets_without_rotation] == ["320"]
    assert evidence.summary[0] == "2 rotations in 2 specialties: 58.0 confirmed hours on 8 days."


def test_evidence_is_none_for_other_roles(rotations, preceptor):
    assert applicant_evidence(preceptor) is None


def test_outsider_sees_only_their_own_evidence(rotations, outsider_client, applicant_client):
    mine = applicant_client.get("/specialties/").content.decode()
    assert FIT_IM in mine and FIT_FM in mine
    assert OUTSIDER_FIT not in mine and "Psychiatry" not in mine.split("All specialties")[0]
    theirs = outsider_client.get("/specialties/").content.decode()
    assert OUTSIDER_FIT in theirs
    assert FIT_IM not in theirs and FIT_FM not in theirs
    for code in ("140", "120"):
        page = outsider_client.get(f"/specialties/{code}/").content.decode()
        assert FIT_IM not in page and FIT_FM not in page and f'id="evidence-{code}"' not in page
    compare = outsider_client.get("/specialties/compare/?codes=140,120").content.decode()
    assert FIT_IM not in compare and FIT_FM not in compare


def test_anonymous_sees_no_evidence(rotations, anonymous):
    html = anonymous.get("/specialties/140/").content.decode()
    assert "Your evidence" not in html and FIT_IM not in html


def test_list_page_shows_both_panels_ratings_and_next_steps(rotations, applicant_client):
    html = applicant_client.get("/specialties/").content.decode()
    assert 'id="evidence-140"' in html and 'id="evidence-120"' in html
    assert "Preceptor evaluation averages" in html
    assert "No rotation yet in Pediatrics." in html and "/rotations/?specialty=320" in html
    assert "/letters/requests/new/" in html  # FM has no letter yet


def test_detail_page_shows_this_specialty_only(rotations, applicant_client):
    html = applicant_client.get("/specialties/140/").content.decode()
    assert FIT_IM in html and FIT_FM not in html
    html = applicant_client.get("/specialties/320/").content.decode()
    assert "this is one of your target specialties" in html
    assert "/rotations/?specialty=320" in html


def test_compare_shows_evidence_for_the_compared_specialties(rotations, applicant_client):
    html = applicant_client.get("/specialties/compare/?codes=140,120,320").content.decode()
    assert FIT_IM in html and FIT_FM in html
    assert "No confirmed, running or completed rotation in this specialty yet." in html


def test_query_counts_applicant(rotations, applicant_client, django_assert_num_queries):
    # Warm-up: the header's unread-message count is cached per user (messaging), so the
    # pinned count is a warm page's.
    applicant_client.get("/specialties/")
    # session + user, rotation records (6), competencies, letters, targets, then the page
    with django_assert_num_queries(13):
        assert applicant_client.get("/specialties/").status_code == 200
    with django_assert_num_queries(15):
        assert applicant_client.get("/specialties/140/").status_code == 200


def test_journal_facts_skips_drafts_and_orders_roles(rotations):
    im, _fm = rotations
    entries = list(im.journal.all())
    facts = journal_facts(entries)
    assert facts.cases == 2 and facts.fit_answers == (FIT_IM,)
    assert [label for label, _n in facts.by_role] == ["Observed", "Performed under supervision"]


def test_letter_counts_are_the_viewers_own(rotations, applicant, outsider, preceptor):
    assert letter_counts_by_specialty(viewer=applicant) == {"140": 1}
    assert letter_counts_by_specialty(viewer=outsider) == {"400": 1}
    assert letter_counts_by_specialty(viewer=preceptor) == {}
