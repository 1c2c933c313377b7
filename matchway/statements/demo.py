"""Demo data: the demo applicant's statement with two versions and a preceptor's comment.

Idempotent: a second run finds the statement by its title and leaves it alone.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.tokens import token_issue
from matchway.reference.models import Specialty

from . import services
from .models import ReviewInvitation, Statement, VersionSource
from .selectors import REVIEW_TOKEN_PURPOSE, REVIEW_TOKEN_STATE

DEMO_TITLE = "General Internal Medicine"

FIRST_DRAFT = (
    "Ever since I was a child I have had a passion for medicine and I always wanted to help "
    "people.\n\n"
    "During my internship at Lagos University Teaching Hospital I cared for adults with "
    "diabetes, heart failure and sepsis on a ward of forty beds. I learned to examine "
    "carefully because tests were not always available, and I learned to explain plans to "
    "families who had travelled far to be at the bedside.\n\n"
    "My observership in internal medicine at Lakeside Community Hospital showed me how a US "
    "team works. I presented new admissions to the attending, followed my patients through "
    "discharge planning and watched how much a clear handoff protects patients.\n\n"
    "I want to train in internal medicine because I enjoy the \u201cdetective work\u201d of "
    "complex adult patients \u2014 and I want to keep learning from a team."
)

SECOND_DRAFT = (
    "At two in the morning on my first medical ward, a man with heart failure became short "
    "of breath and our only monitor was in use. I listened to his lungs every hour, adjusted "
    "his diuretics with my senior and explained each change to his daughter. By morning he "
    "was breathing comfortably, and I knew I wanted to spend my career in internal "
    "medicine.\n\n"
    "During my internship at a teaching hospital in Lagos I cared for adults with diabetes, "
    "heart failure and sepsis on a ward of forty beds. I learned to examine carefully because "
    "tests were not always available, and to explain plans to families who had travelled far "
    "to be at the bedside.\n\n"
    "My observership in internal medicine at Lakeside Community Hospital showed me how a US "
    "team works. I presented new admissions to the attending, wrote practice notes that my "
    "preceptor reviewed line by line, and followed my patients through discharge planning. I "
    "saw how much a clear handoff protects patients.\n\n"
    "I want to train in internal medicine because I enjoy reasoning through complex adult "
    "patients with a team. I hope to join a program where residents teach each other, and I "
    "will bring the calm I learned on busy night shifts."
)

COMMENT_QUOTE = "I knew I wanted to spend my career in internal medicine"
COMMENT_BODY = (
    "Strong opening scene. Consider ending it with what you noticed about yourself rather "
    "than announcing the decision; the next paragraphs already show why."
)


def seed(context: dict[str, Any]) -> None:
    users: dict[str, User] = context.get("users", {})
    applicant, preceptor = users.get("applicant"), users.get("preceptor")
    if applicant is None or preceptor is None:
        return
    stdout = context.get("stdout")
    if Statement.objects.filter(applicant=applicant, title=DEMO_TITLE).exists():
        if stdout is not None:
            stdout.write("  statements: demo statement already present")
        return
    with transaction.atomic():
        statement = services.statement_create(
            actor=applicant,
            title=DEMO_TITLE,
            specialty=Specialty.objects.filter(code="140").first(),
            body=FIRST_DRAFT,
        )
        second = services.statement_save(
            actor=applicant,
            statement=statement,
            body=SECOND_DRAFT,
            source=VersionSource.MANUAL,
        ).version
        assert second is not None  # noqa: S101 - a changed body always makes a version
        # Created directly rather than through review_invitation_create so seeding sends
        # no email; the preceptor finds it under "Statements to review" when signed in.
        ttl = timedelta(days=30)
        invitation = ReviewInvitation.objects.create(
            version=second,
            invited_by=applicant,
            reviewer=preceptor,
            reviewer_email=preceptor.email,
            reviewer_name=preceptor.get_full_name(),
            message="Could you look at my opening paragraph?",
            expires_at=clock.now() + ttl,
        )
        token_issue(
            purpose=REVIEW_TOKEN_PURPOSE, target=invitation, ttl=ttl, state=REVIEW_TOKEN_STATE
        )
        services.review_comment_add(
            invitation=invitation, author=preceptor, body=COMMENT_BODY, quote=COMMENT_QUOTE
        )
    if stdout is not None:
        stdout.write("  statements: 1 statement, 2 versions, 1 reviewer comment")
