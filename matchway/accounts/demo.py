"""Demo people (seed_demo). Idempotent: existing accounts keep their data."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress

from matchway.core import clock
from matchway.organization.selectors import policy_consent_versions
from matchway.reference.models import Specialty

from .models import (
    ApplicantProfile,
    Consent,
    EcfmgStatus,
    PreceptorProfile,
    Role,
    User,
    VisaNeed,
)
from .services import profile_ensure

DEMO_PEOPLE = [
    ("applicant@example.com", "Amina Okafor", Role.APPLICANT, "Africa/Lagos"),
    ("preceptor@example.com", "Dr. Daniel Reyes", Role.PRECEPTOR, "America/Chicago"),
    ("coordinator@example.com", "Grace Lin", Role.COORDINATOR, "America/New_York"),
    ("applicant2@example.com", "Ravi Menon", Role.APPLICANT, "Asia/Kolkata"),
    ("preceptor2@example.com", "Dr. Sarah Whitfield", Role.PRECEPTOR, "America/New_York"),
]


def demo_user(email: str, full_name: str, role: str, tz: str, password: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=password, full_name=full_name, role=role, timezone=tz
        )
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    profile_ensure(user)
    return user


def seed(context: dict[str, Any]) -> None:
    users = {
        email.split("@")[0]: demo_user(email, name, role, tz, context["password"])
        for email, name, role, tz in DEMO_PEOPLE
    }
    context["users"] = users
    applicant = ApplicantProfile.objects.get(user=users["applicant"])
    if not applicant.medical_school:
        applicant.medical_school = "University of Lagos College of Medicine"
        applicant.country = "Nigeria"
        applicant.graduation_year = 2023
        applicant.is_graduate = True
        applicant.ecfmg_status = EcfmgStatus.IN_PROGRESS
        applicant.usmle_step1 = "Pass"
        applicant.visa_need = VisaNeed.J1
        applicant.save()
        applicant.target_specialties.set(Specialty.objects.filter(code__in=["140", "120"]))
    for key, specialty, dept in (
        ("preceptor", "140", "Internal Medicine"),
        ("preceptor2", "320", "Pediatrics"),
    ):
        prof = PreceptorProfile.objects.get(user=users[key])
        if not prof.title:
            prof.title = "MD"
            prof.department = dept
            prof.specialty = Specialty.objects.filter(code=specialty).first()
            prof.bio = "Teaches students on the wards and in clinic; enjoys bedside teaching."
            prof.board_certification = f"American Board certified in {dept}"
            prof.hospital_affiliation = "Lakeside Community Hospital"
            prof.save()
    _seed_consents(users)
    context["stdout"].write(f"  people: {len(users)}")


def _seed_consents(users: dict[str, User]) -> None:
    """Demo people accepted the policy versions in effect; Ravi (applicant2) accepted only
    the first Terms of use, so signing in as him shows the "new version" question once."""
    current = policy_consent_versions()
    for key, user in users.items():
        for kind, version in current.items():
            accepted = 1 if (key == "applicant2" and kind == "terms") else version
            Consent.objects.get_or_create(
                user=user,
                kind=kind,
                version=accepted,
                defaults={"accepted_at": clock.now(), "ip": None},
            )
