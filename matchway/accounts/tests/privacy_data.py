"""Data in every area for the privacy tests (export and erasure): real services where they
exist, factories for the rest. `fill_every_area` returns markers the tests look for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from matchway.accounts.services import profile_ensure
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.documents.models import Document
from matchway.documents.tests.factories import upload_document
from matchway.documents.tests.samples import make_pdf
from matchway.experience.models import Certificate, Evaluation
from matchway.experience.services.certificates import certificate_issue
from matchway.experience.services.eras_drafts_versions import eras_draft_generate
from matchway.experience.services.evaluations import EvaluationInput
from matchway.experience.services.evaluations_submit import evaluation_save
from matchway.experience.tests.factories import (
    FULL_RATINGS,
    EvaluationFactory,
    JournalEntryFactory,
    completed_application,
    confirm_days,
)
from matchway.letters.models import Letter, LetterRequest
from matchway.letters.services.writer import letter_request_accept, letter_upload
from matchway.letters.tests.factories import (
    last_link_token,
    sent_request,
    token_viewer,
    uploaded_request,
    validated_pdf,
)
from matchway.reference.loader import load_competencies
from matchway.rotations.models import (
    Application,
    ApplicationEvent,
    Payment,
    PaymentMethod,
    PaymentReminder,
)
from matchway.statements.models import ReviewComment, ReviewInvitation
from matchway.statements.tests.factories import StatementFactory, StatementVersionFactory

JOURNAL_MARKER = "Journal-marker-7Q2 reflection on rounds"
STATEMENT_MARKER = "Statement-marker-K9 my path to internal medicine"
COMMENT_MARKER = "Comment-marker-R4 tighten this opening"
MOTIVATION_MARKER = "Motivation-marker-M3 I want US clinical experience"
REMINDER_CENTS = 123_456


@dataclass
class AreaData:
    application: Application
    document: Document
    certificate: Certificate
    waived_request: LetterRequest
    waived_letter: Letter
    open_request: LetterRequest
    open_letter: Letter


SOAP_MARKER = "Soap-marker-L5 Sample Lakeside Internal Medicine"


def _fill_soap(applicant: Any) -> None:
    """A real Match Week with an imported list, one sent application and one offer."""
    from matchway.soap import services as soap

    week = soap.week_get_or_create(applicant)
    soap.list_import(
        actor=applicant,
        week=week,
        text=f"9900140C0,{SOAP_MARKER},Internal Medicine,C,NY,2,yes,ERAS\n",
    )
    soap.applications_add(actor=applicant, week=week, codes=["9900140C0"])
    soap.offer_record(
        actor=applicant, week=week, program_code="9900140C0", round_=1, received_at=clock.now()
    )


def fill_every_area(applicant: Any, preceptor: Any, coordinator: Any) -> AreaData:
    """Needs `transaction.on_commit` to run at once (see the tests' autouse fixture)."""
    load_competencies()
    profile_ensure(applicant)
    document = upload_document(
        applicant, "cv", content=make_pdf("Alice CV unique text"), name="Alice_CV.pdf"
    )
    application = completed_application(applicant=applicant, preceptors=[preceptor])
    application.motivation = MOTIVATION_MARKER
    application.save(update_fields=["motivation"])
    ApplicationEvent.objects.create(
        application=application, from_status="submitted", to_status="confirmed", actor=coordinator
    )
    Payment.objects.create(
        application=application,
        amount_cents=150000,
        method=PaymentMethod.CARD,
        reference="PAY-123",
        recorded_by=coordinator,
    )
    # The reminder `payments.periodic` sends before the balance is due (the row is its claim).
    PaymentReminder.objects.create(
        application=application,
        kind="balance",
        due_date=application.session.start_date - dt.timedelta(days=30),
        amount_cents=REMINDER_CENTS,
        sent_at=clock.now(),
    )
    confirm_days(application, preceptor, hours="8", days=5)
    JournalEntryFactory(application=application, data={"reflection": JOURNAL_MARKER})
    evaluation = EvaluationFactory(application=application, evaluator=preceptor)
    evaluation_save(
        actor=preceptor,
        evaluation=evaluation,
        values=EvaluationInput(
            ratings=dict(FULL_RATINGS),
            strengths="Prepared and reliable.",
            recommendation="recommend",
            would_write_letter=True,
        ),
        submit=True,
    )
    certificate = certificate_issue(actor=coordinator, application=application)
    certificate.refresh_from_db()
    eras_draft_generate(actor=applicant, application=application)

    waived = uploaded_request(applicant, waived=True)
    open_request = sent_request(applicant, waived=False, writer_email="olga@example.org")
    viewer = token_viewer(last_link_token("olga@example.org"))
    letter_request_accept(actor=viewer, letter_request=open_request)
    letter_upload(
        actor=viewer,
        letter_request=open_request,
        file=validated_pdf(text="An open letter you may read", pages=1, name="Open_letter.pdf"),
    )

    version = StatementVersionFactory(
        statement=StatementFactory(applicant=applicant), body=STATEMENT_MARKER
    )
    invitation = ReviewInvitation.objects.create(
        version=version,
        invited_by=applicant,
        reviewer_email="rita@example.org",
        reviewer_name="Rita Reviewer",
        expires_at=clock.now() + dt.timedelta(days=7),
    )
    ReviewComment.objects.create(
        invitation=invitation,
        version=version,
        author_name="Rita Reviewer",
        quote="my path",
        body=COMMENT_MARKER,
        anchor_start=0,
        anchor_end=7,
    )
    audit_record(actor=applicant, action="test.privacy", target=applicant)
    from matchway.eras.services.programs import ProgramInput, RequirementInput, program_add

    program_add(
        actor=applicant,
        data=ProgramInput(
            acgme_id="1403599001",
            name="Privacy IM",
            specialty="140",
            state="NY",
            requirements=[RequirementInput(kind="step2_min", value="230")],
        ),
    )
    from matchway.messaging.services import message_post

    message_post(actor=applicant, application=application, body="Where do I park on day one?")
    assert Evaluation.objects.filter(application=application, submitted_at__isnull=False).exists()
    _fill_soap(applicant)
    return AreaData(
        application=application,
        document=document,
        certificate=certificate,
        waived_request=waived,
        waived_letter=Letter.objects.get(request=waived),
        open_request=open_request,
        open_letter=Letter.objects.get(request=open_request),
    )
