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
    ("preceptor@example.com", "Daniel Reyes", Role.PRECEPTOR, "America/Chicago"),
    ("coordinator@example.com", "Grace Lin", Role.COORDINATOR, "America/New_York"),
    ("applicant2@example.com", "Ravi Menon", Role.APPLICANT, "Asia/Kolkata"),
    ("preceptor2@example.com", "Sarah Whitfield", Role.PRECEPTOR, "America/New_York"),
]

# One preceptor per specialty taught, so each rotation's preceptor practises its specialty
# (key, email, name, zone, specialty code, department, subspecialty or "", hospital).
# Names carry the degree after a comma ("Sarah Whitfield, MD"), never "Dr." as well.
# fmt: off
DEMO_PRECEPTORS = [
    ("preceptor", "", "", "", "140", "Internal Medicine", "", "Lakeside Community Hospital"),
    ("preceptor2", "", "", "", "320", "Pediatrics", "", "Sunrise Pediatrics"),
    ("cardiology", "demo.asante@example.com", "Kwame Asante", "America/New_York", "140", "Cardiology", "Cardiology", "Brooklyn Riverside Medical Center"),  # noqa: E501
    ("emergency", "demo.brooks@example.com", "Olivia Brooks", "America/New_York", "110", "Emergency Medicine", "", "Brooklyn Riverside Medical Center"),  # noqa: E501
    ("surgery", "demo.alvarez@example.com", "Robert Alvarez", "America/New_York", "440", "General Surgery", "", "Brooklyn Riverside Medical Center"),  # noqa: E501
    ("obgyn", "demo.petrova@example.com", "Nadia Petrova", "America/Chicago", "220", "Obstetrics and Gynecology", "", "Brooklyn Riverside Medical Center"),  # noqa: E501
    ("family", "demo.carter@example.com", "James Carter", "America/Chicago", "120", "Family Medicine", "", "Houston Family Health Clinic"),  # noqa: E501
    ("medpeds", "demo.morales@example.com", "Elena Morales", "America/New_York", "700", "Internal Medicine and Pediatrics", "", "Sunrise Pediatrics"),  # noqa: E501
    ("neurology", "demo.patel@example.com", "Arjun Patel", "America/Los_Angeles", "180", "Neurology", "", "Bay Area Neurology Associates"),  # noqa: E501
    ("psychiatry", "demo.grant@example.com", "Michelle Grant", "America/New_York", "400", "Psychiatry", "", "Garden State Behavioral Health"),  # noqa: E501
    ("radiology", "demo.becker@example.com", "Thomas Becker", "America/New_York", "420", "Diagnostic Radiology", "", "Matchway Telehealth Network"),  # noqa: E501
    ("dermatology", "demo.kim@example.com", "Hannah Kim", "America/Chicago", "080", "Dermatology", "", "Lakeside Community Hospital"),  # noqa: E501
    ("pathology", "demo.osei@example.com", "Samuel Osei", "America/Chicago", "300", "Pathology", "", "Lakeside Community Hospital"),  # noqa: E501
]
# fmt: on


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
    for key, email, name, tz, specialty, dept, sub, hospital in DEMO_PRECEPTORS:
        if email:
            users[key] = demo_user(email, name, Role.PRECEPTOR, tz, context["password"])
        prof = PreceptorProfile.objects.get(user=users[key])
        if not prof.title:
            field = sub or dept
            prof.title = "MD"
            prof.department = dept
            prof.specialty = Specialty.objects.filter(code=specialty).first()
            prof.bio = f"Teaches students in {field.lower()} and enjoys teaching at the bedside."
            prof.board_certification = f"Board certified in {field}"
            prof.hospital_affiliation = hospital
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
