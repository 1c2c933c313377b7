"""Demo catalog and bookings (seed_demo): sites in several states (one virtual), rotations of
every kind across many specialties, sessions over the next nine months, and applications
in every state — reached through the real services wherever a service exists.

Idempotent: sites are matched by name, rotations by slug, a rotation only gets sessions
when it has none, and each application step is skipped once its applicant has applied to
its rotation. Emails the services send are discarded (no console flood during seeding).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.test.utils import override_settings

from matchway.accounts.models import ApplicantProfile, Role, User
from matchway.accounts.services import profile_ensure
from matchway.core import clock
from matchway.core.exceptions import ApplicationError
from matchway.documents.models import DocumentType
from matchway.reference.models import Specialty, State
from matchway.rotations.services.applications_decide import (
    application_accept,
    application_cancel,
    application_confirm,
    application_decline,
)
from matchway.rotations.services.applications_lifecycle import (
    application_complete,
    application_start,
)
from matchway.rotations.services.applications_submit import application_submit, application_withdraw

from .demo_money import seed_money
from .models import (
    Application,
    ApplicationStatus,
    BookingMode,
    Rotation,
    RotationKind,
    RotationSession,
    Site,
    SiteKind,
)
from .periodic import holds_expire
from .selectors import CLASH_BLOCK_STATUSES, application_date_clashes
from .services.arrival import rotation_arrival_update, session_arrival_update
from .services.catalog import rotation_create, site_create
from .services.payments import payment_record
from .services.sessions import session_create_series

SITES = [
    # name, kind, address, city, state, time zone, description
    (
        "Lakeside Community Hospital",
        SiteKind.HOSPITAL,
        "2400 N Lakeview Ave",
        "Chicago",
        "IL",
        "America/Chicago",
        "A 320-bed teaching hospital with internal medicine and family medicine residencies.",
    ),
    (
        "Brooklyn Riverside Medical Center",
        SiteKind.HOSPITAL,
        "150 Riverside Blvd",
        "Brooklyn",
        "NY",
        "America/New_York",
        "Level II trauma center serving a diverse urban community.",
    ),
    (
        "Houston Family Health Clinic",
        SiteKind.CLINIC,
        "8800 Bellaire Blvd",
        "Houston",
        "TX",
        "America/Chicago",
        "Federally qualified health center: family medicine, pediatrics and women's health.",
    ),
    (
        "Sunrise Pediatrics",
        SiteKind.PRIVATE_PRACTICE,
        "410 E Colonial Dr",
        "Orlando",
        "FL",
        "America/New_York",
        "A busy four-physician pediatric practice.",
    ),
    (
        "Bay Area Neurology Associates",
        SiteKind.PRIVATE_PRACTICE,
        "2100 Forest Ave",
        "San Jose",
        "CA",
        "America/Los_Angeles",
        "Outpatient neurology: epilepsy, movement disorders and stroke follow-up.",
    ),
    (
        "Garden State Behavioral Health",
        SiteKind.CLINIC,
        "77 Broad St",
        "Newark",
        "NJ",
        "America/New_York",
        "Community psychiatry with an intensive outpatient program.",
    ),
    (
        "Matchway Telehealth Network",
        SiteKind.VIRTUAL,
        "",
        "",
        None,
        "America/New_York",
        "Virtual clinics across several states; you join from home.",
    ),
]

DESCRIPTION = """## What you will do

{what}

## A typical week

{week}

## What you gain

- {gain}, documented for your ERAS application
- Feedback from your preceptor halfway and at the end
{letter}
"""

# What a week looks like differs by kind of rotation; the specialty comes from `field`.
WEEKS = {
    RotationKind.CLERKSHIP: (
        "- Pre-rounds and rounds with the {field} team from **7:30 am**\n"
        "- Teaching conference twice a week\n"
        "- One case presentation to the team at the end of the rotation"
    ),
    RotationKind.EXTERNSHIP: (
        "- {field} service from **7:30 am**: see patients, then present to the attending\n"
        "- Teaching conference twice a week\n"
        "- One case presentation to the team at the end of the rotation"
    ),
    RotationKind.OBSERVERSHIP: (
        "- {field} clinic or service with your preceptor from **8:00 am**\n"
        "- Time to discuss cases and questions after each session\n"
        "- One short case presentation at the end of the rotation"
    ),
    RotationKind.RESEARCH: (
        "- A weekly meeting with your {field} research mentor\n"
        "- Data collection, analysis and writing on your own schedule\n"
        "- An abstract or poster draft by the last week"
    ),
    RotationKind.TELEHEALTH: (
        "- {field} video visits with your preceptor, three or four half-days a week\n"
        "- A short case discussion after each clinic\n"
        "- One case presentation by video at the end of the rotation"
    ),
}
GAINS = {
    RotationKind.RESEARCH: "Research experience in US {field}",
    RotationKind.TELEHEALTH: "Experience of US {field} care by video",
}


@dataclass(frozen=True)
class RotationSpec:
    slug: str
    title: str
    specialty: str
    kind: str
    site: str
    weeks: int
    price: int  # USD
    deposit: int  # USD
    documents: tuple[str, ...]
    preceptor: str
    what: str
    hands_on: bool = False
    letter: bool = False
    booking: str = BookingMode.REVIEW
    capacity: int = 4
    subspecialty: str = ""
    students_allowed: bool = True
    graduates_allowed: bool = True
    eligibility: str = ""
    every_weeks: int = 4
    first_in_days: int = 14
    refund: str = "Full refund up to 30 days before the start; the deposit is kept after that."


CORE_DOCS = ("passport", "cv", "usmle_step1")
CLINICAL_DOCS = (*CORE_DOCS, "tb_test", "immunization_mmr", "bls_acls", "hipaa_training")

# One rotation per line reads best as a table.
# fmt: off
ROTATIONS = [
    RotationSpec("im-inpatient-clerkship-chicago", "Inpatient Internal Medicine Clerkship", "140", RotationKind.CLERKSHIP, "Lakeside Community Hospital", 4, 3200, 800, CLINICAL_DOCS, "preceptor", "Admit, examine and follow your own patients on a teaching ward team.", hands_on=True, letter=True, capacity=3),  # noqa: E501
    RotationSpec("im-outpatient-observership-chicago", "Outpatient Internal Medicine Observership", "140", RotationKind.OBSERVERSHIP, "Lakeside Community Hospital", 4, 1500, 300, ("passport", "cv"), "preceptor", "Shadow an internist in a continuity clinic: chronic disease, prevention and follow-up.", booking=BookingMode.INSTANT, capacity=2),  # noqa: E501
    RotationSpec("cardiology-externship-brooklyn", "Cardiology Externship", "140", RotationKind.EXTERNSHIP, "Brooklyn Riverside Medical Center", 4, 3600, 900, CLINICAL_DOCS, "cardiology", "Consult service, echo reading room and cath lab days.", hands_on=True, subspecialty="Cardiology", letter=True, capacity=2),  # noqa: E501
    RotationSpec("em-observership-brooklyn", "Emergency Medicine Observership", "110", RotationKind.OBSERVERSHIP, "Brooklyn Riverside Medical Center", 2, 1100, 250, ("passport", "cv", "tb_test"), "emergency", "Shadow attendings through triage, resuscitation and fast-track shifts.", booking=BookingMode.INSTANT, every_weeks=2, capacity=1),  # noqa: E501
    RotationSpec("surgery-clerkship-brooklyn", "General Surgery Clerkship", "440", RotationKind.CLERKSHIP, "Brooklyn Riverside Medical Center", 4, 3800, 1000, CLINICAL_DOCS, "surgery", "Scrub in, pre-round and present on a busy general surgery service.", hands_on=True, letter=True, students_allowed=True, graduates_allowed=False, eligibility="Enrolled final-year students only (site policy)."),  # noqa: E501
    RotationSpec("obgyn-observership-brooklyn", "Obstetrics and Gynecology Observership", "220", RotationKind.OBSERVERSHIP, "Brooklyn Riverside Medical Center", 4, 1600, 400, ("passport", "cv", "tb_test"), "obgyn", "Labor and delivery, clinic and the operating room, as an observer."),  # noqa: E501
    RotationSpec("fm-clerkship-houston", "Family Medicine Clerkship", "120", RotationKind.CLERKSHIP, "Houston Family Health Clinic", 4, 2400, 600, CLINICAL_DOCS, "family", "See your own patients first, then present to the attending, in a community clinic.", hands_on=True, letter=True, booking=BookingMode.INSTANT, capacity=3),  # noqa: E501
    RotationSpec("fm-observership-houston", "Family Medicine Observership", "120", RotationKind.OBSERVERSHIP, "Houston Family Health Clinic", 2, 900, 200, ("passport", "cv"), "family", "Two weeks beside a family physician: acute visits, chronic care and prevention.", booking=BookingMode.INSTANT, every_weeks=2),  # noqa: E501
    RotationSpec("womens-health-externship-houston", "Women's Health Externship", "220", RotationKind.EXTERNSHIP, "Houston Family Health Clinic", 4, 2600, 600, CLINICAL_DOCS, "obgyn", "Prenatal care, contraception counselling and screening in clinic.", hands_on=True),  # noqa: E501
    RotationSpec("pediatrics-clerkship-orlando", "Outpatient Pediatrics Clerkship", "320", RotationKind.CLERKSHIP, "Sunrise Pediatrics", 4, 2800, 700, (*CLINICAL_DOCS, "immunization_varicella"), "preceptor2", "Well-child visits, sick visits and newborn checks, seeing patients first.", hands_on=True, letter=True),  # noqa: E501
    RotationSpec("pediatrics-observership-orlando", "Pediatrics Observership", "320", RotationKind.OBSERVERSHIP, "Sunrise Pediatrics", 2, 1000, 250, ("passport", "cv"), "preceptor2", "Observe general pediatrics in a private practice.", booking=BookingMode.INSTANT, every_weeks=2),  # noqa: E501
    RotationSpec("med-peds-externship-orlando", "Med-Peds Externship", "700", RotationKind.EXTERNSHIP, "Sunrise Pediatrics", 4, 3000, 750, CLINICAL_DOCS, "medpeds", "Split between adult and pediatric clinics with a med-peds physician.", hands_on=True),  # noqa: E501
    RotationSpec("neurology-observership-san-jose", "Outpatient Neurology Observership", "180", RotationKind.OBSERVERSHIP, "Bay Area Neurology Associates", 4, 1700, 400, ("passport", "cv"), "neurology", "Epilepsy, headache and movement-disorder clinics; EEG reading sessions.", every_weeks=6),  # noqa: E501
    RotationSpec("stroke-research-san-jose", "Stroke Outcomes Research Elective", "180", RotationKind.RESEARCH, "Bay Area Neurology Associates", 8, 2200, 500, ("passport", "cv", "hipaa_training"), "neurology", "Chart review and data analysis for an ongoing stroke-outcomes study; aim for a poster.", subspecialty="Vascular neurology", letter=True, every_weeks=8, capacity=2),  # noqa: E501
    RotationSpec("psychiatry-clerkship-newark", "Community Psychiatry Clerkship", "400", RotationKind.CLERKSHIP, "Garden State Behavioral Health", 4, 2500, 600, CLINICAL_DOCS, "psychiatry", "Interview patients, write notes and join treatment-team meetings.", hands_on=True, letter=True),  # noqa: E501
    RotationSpec("psychiatry-observership-newark", "Psychiatry Observership", "400", RotationKind.OBSERVERSHIP, "Garden State Behavioral Health", 2, 950, 200, ("passport", "cv"), "psychiatry", "Observe intake assessments, medication management and group therapy.", booking=BookingMode.INSTANT, every_weeks=2),  # noqa: E501
    RotationSpec("telepsychiatry-elective", "Telepsychiatry Elective", "400", RotationKind.TELEHEALTH, "Matchway Telehealth Network", 4, 800, 0, ("passport", "cv", "hipaa_training"), "psychiatry", "Join video visits with a psychiatrist and discuss each case afterwards.", booking=BookingMode.INSTANT, capacity=6),  # noqa: E501
    RotationSpec("telehealth-im-elective", "Telehealth Internal Medicine Elective", "140", RotationKind.TELEHEALTH, "Matchway Telehealth Network", 4, 700, 0, ("passport", "cv"), "preceptor", "Chronic-care and urgent video visits with an internist.", booking=BookingMode.INSTANT, capacity=8),  # noqa: E501
    RotationSpec("radiology-research-remote", "Radiology AI Research Elective", "420", RotationKind.RESEARCH, "Matchway Telehealth Network", 8, 1800, 400, ("passport", "cv", "hipaa_training"), "radiology", "Annotate images and help evaluate a chest X-ray triage model; remote.", every_weeks=8, capacity=3),  # noqa: E501
    RotationSpec("dermatology-observership-chicago", "Dermatology Observership", "080", RotationKind.OBSERVERSHIP, "Lakeside Community Hospital", 2, 1400, 350, ("passport", "cv"), "dermatology", "General dermatology clinic and procedure days.", every_weeks=4, capacity=1),  # noqa: E501
    RotationSpec("pathology-research-chicago", "Pathology Research Elective", "300", RotationKind.RESEARCH, "Lakeside Community Hospital", 4, 1500, 300, ("passport", "cv", "hipaa_training"), "pathology", "Slide review and a case series write-up with a pathologist.", every_weeks=8, capacity=2),  # noqa: E501
    RotationSpec("hospital-medicine-externship-chicago", "Hospital Medicine Externship", "140", RotationKind.EXTERNSHIP, "Lakeside Community Hospital", 4, 3400, 850, CLINICAL_DOCS, "preceptor", "Work with hospitalists on admissions, discharges and consults.", hands_on=True, subspecialty="Hospitalist", letter=True, booking=BookingMode.INSTANT),  # noqa: E501
]
# fmt: on

EXTRA_APPLICANTS = [
    ("demo.priya@example.com", "Priya Raman", "Asia/Kolkata", True),
    ("demo.omar@example.com", "Omar Haddad", "Africa/Cairo", True),
    ("demo.lucia@example.com", "Lucía Fernández", "America/Mexico_City", False),
    ("demo.tran@example.com", "Minh Tran", "Asia/Ho_Chi_Minh", True),
    ("demo.fatima@example.com", "Fatima Zahra", "Africa/Casablanca", False),
]


def _site(coordinator: User, spec: tuple[Any, ...]) -> Site:
    name, kind, address, city, state, tz, description = spec
    existing = Site.objects.filter(name=name).first()
    if existing is not None:
        return existing
    return site_create(
        actor=coordinator,
        name=name,
        kind=kind,
        address=address,
        city=city,
        state=State.objects.filter(code=state).first() if state else None,
        timezone=tz,
        description=description,
    )


def _next_monday(days: int) -> dt.date:
    day = clock.provider_today() + dt.timedelta(days=days)
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def _rotation(coordinator: User, spec: RotationSpec, users: dict[str, User]) -> Rotation:
    existing = Rotation.objects.filter(slug=spec.slug).first()
    if existing is not None:
        return existing
    specialty = Specialty.objects.get(code=spec.specialty)
    field = spec.subspecialty or specialty.field_name
    setting = "outpatient" if spec.kind != RotationKind.CLERKSHIP else "hospital and clinic"
    week = WEEKS[RotationKind(spec.kind)].format(field=field.lower())
    gain = GAINS.get(RotationKind(spec.kind), "Experience of US {setting} {field}").format(
        field=field.lower(), setting=setting
    )
    letter = (
        "- A letter of recommendation is possible when your preceptor has seen your work"
        if spec.letter
        else ""
    )
    rotation = rotation_create(
        actor=coordinator,
        slug=spec.slug,
        published=True,
        title=spec.title,
        specialty=specialty,
        subspecialty=spec.subspecialty,
        kind=spec.kind,
        hands_on=spec.hands_on,
        site=Site.objects.get(name=spec.site),
        description=DESCRIPTION.format(what=spec.what, week=week, gain=gain, letter=letter),
        weeks=spec.weeks,
        price_cents=spec.price * 100,
        deposit_cents=spec.deposit * 100,
        refund_policy=spec.refund,
        graduates_allowed=spec.graduates_allowed,
        students_allowed=spec.students_allowed,
        eligibility_notes=spec.eligibility,
        letter_possible=spec.letter,
        preceptors=[users[spec.preceptor]],
        required_document_types=DocumentType.objects.filter(code__in=spec.documents),
    )
    if not rotation.sessions.exists():
        first = _next_monday(spec.first_in_days)
        # Starts spread over the next nine months.
        count = max(1, (270 - spec.first_in_days) // (spec.every_weeks * 7))
        session_create_series(
            actor=coordinator,
            rotation=rotation,
            first_start=first,
            every_weeks=spec.every_weeks,
            count=min(count, 12),
            capacity=spec.capacity,
            booking_mode=spec.booking,
            application_deadline_days_before=7,
        )
    return rotation


def _extra_applicant(email: str, name: str, tz: str, graduate: bool) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        # No password: these people exist so the queue and rosters look real; nobody
        # signs in as them.
        user = User.objects.create_user(
            email=email, password=None, full_name=name, role=Role.APPLICANT, timezone=tz
        )
    profile = profile_ensure(user)
    if isinstance(profile, ApplicantProfile) and not profile.medical_school:
        profile.is_graduate = graduate
        profile.medical_school = "Demo School of Medicine"
        profile.graduation_year = 2024 if graduate else 2027
        profile.save()
    return user


def _session(slug: str, index: int = 0) -> RotationSession:
    return RotationSession.objects.filter(rotation__slug=slug).order_by("start_date", "pk")[index]


def _session_free_for(user: User, slug: str) -> RotationSession:
    """The first session of `slug` whose dates clash with none of `user`'s confirmed or
    in-progress rotations (confirming over a clash is refused: issue #19); else the first."""
    sessions = list(
        RotationSession.objects.filter(rotation__slug=slug).order_by("start_date", "pk")
    )
    for session in sessions:
        if not application_date_clashes(
            applicant_id=user.pk,
            start_date=session.start_date,
            end_date=session.end_date,
            statuses=CLASH_BLOCK_STATUSES,
        ):
            return session
    return sessions[0]


def _shift_into_past(session: RotationSession, *, start_days_ago: int) -> None:
    """Demo-only time travel: move a session (booked through the services) into the past,
    so the start/complete services can run on it as they would weeks later."""
    weeks = session.rotation.weeks
    start = clock.provider_today() - dt.timedelta(days=start_days_ago)
    RotationSession.objects.filter(pk=session.pk).update(
        start_date=start,
        end_date=start + dt.timedelta(days=weeks * 7 - 1),
        application_deadline=None,
    )
    session.refresh_from_db()


Step = Callable[[], Any]


def _applications(users: dict[str, User], coordinator: User) -> int:
    amina, ravi = users["applicant"], users["applicant2"]
    priya, omar, lucia, tran, fatima = (_extra_applicant(*row) for row in EXTRA_APPLICANTS)
    motivation = (
        "I want to experience US clinical practice in this specialty before applying to "
        "residency, and to learn how the team works day to day."
    )

    def submit(user: User, session: RotationSession, **kw: Any) -> Application:
        return application_submit(
            actor=user,
            session=session,
            motivation=motivation,
            referral_source=kw.pop("referral", "guide"),
            consent_share_documents=True,
            **kw,
        )

    def confirmed(user: User, session: RotationSession) -> Application:
        application = submit(user, session)
        if application.status == ApplicationStatus.SUBMITTED:
            application = application_accept(actor=coordinator, application=application)
        deposit = session.rotation.deposit_cents
        if deposit:
            payment_record(
                actor=coordinator,
                application=application,
                amount_cents=deposit,
                method="bank_transfer",
                reference=f"DEMO-{application.pk:05d}",
            )
        try:
            return application_confirm(actor=coordinator, application=application)
        except ApplicationError:
            return application_confirm(
                actor=coordinator,
                application=application,
                override_reason="Documents checked in person at orientation (demo data).",
            )

    def waitlisted() -> Application:
        session = _session("em-observership-brooklyn", 1)  # capacity 1, instant
        submit(omar, session)
        return submit(amina, session, waitlist=True)

    def expired() -> Application:
        application = submit(tran, _session("telehealth-im-elective", 1))
        Application.objects.filter(pk=application.pk).update(
            hold_expires_at=clock.now() - dt.timedelta(hours=1)
        )
        holds_expire()
        return application

    def in_progress() -> Application:
        session = _session("telehealth-im-elective", 2)
        application = confirmed(lucia, session)
        _shift_into_past(session, start_days_ago=6)
        return application_start(actor=coordinator, application=application)

    def completed() -> Application:
        session = _session("psychiatry-observership-newark", 3)
        application = confirmed(priya, session)
        _shift_into_past(session, start_days_ago=30)
        application = application_start(actor=coordinator, application=application)
        return application_complete(actor=coordinator, application=application)

    def withdrawn() -> Application:
        application = submit(ravi, _session("fm-observership-houston", 0))
        return application_withdraw(
            actor=ravi, application=application, reason="My visa appointment moved."
        )

    def cancelled() -> Application:
        application = submit(fatima, _session("obgyn-observership-brooklyn", 0))
        return application_cancel(
            actor=coordinator,
            application=application,
            reason="Onboarding paperwork was not completed in time.",
        )

    def declined() -> Application:
        application = submit(fatima, _session("surgery-clerkship-brooklyn", 0))
        return application_decline(
            actor=coordinator,
            application=application,
            message="All seats in this block went to earlier applicants; please try a later date.",
        )

    # (applicant, rotation slug, step): a step runs once per applicant and rotation.
    # fmt: off
    steps: list[tuple[User, str, Step]] = [
        (amina, "hospital-medicine-externship-chicago", lambda: submit(amina, _session("hospital-medicine-externship-chicago"))),  # noqa: E501
        (amina, "fm-observership-houston", lambda: confirmed(amina, _session("fm-observership-houston", 1))),  # noqa: E501
        (amina, "em-observership-brooklyn", waitlisted),
        (amina, "cardiology-externship-brooklyn", lambda: submit(amina, _session("cardiology-externship-brooklyn"))),  # noqa: E501
        (ravi, "im-inpatient-clerkship-chicago", lambda: submit(ravi, _session("im-inpatient-clerkship-chicago"))),  # noqa: E501
        (ravi, "fm-observership-houston", withdrawn),
        (priya, "im-inpatient-clerkship-chicago", lambda: submit(priya, _session("im-inpatient-clerkship-chicago"))),  # noqa: E501
        (priya, "psychiatry-observership-newark", completed),
        (fatima, "surgery-clerkship-brooklyn", declined),
        (lucia, "telehealth-im-elective", in_progress),
        (lucia, "pediatrics-clerkship-orlando", lambda: confirmed(lucia, _session_free_for(lucia, "pediatrics-clerkship-orlando"))),  # noqa: E501
        (tran, "telehealth-im-elective", expired),
        (tran, "fm-clerkship-houston", lambda: submit(tran, _session("fm-clerkship-houston"))),
        (fatima, "obgyn-observership-brooklyn", cancelled),
        (fatima, "psychiatry-clerkship-newark", lambda: submit(fatima, _session("psychiatry-clerkship-newark"))),  # noqa: E501
    ]
    # fmt: on
    done = 0
    for user, slug, step in steps:
        if Application.objects.filter(applicant=user, session__rotation__slug=slug).exists():
            continue
        step()
        done += 1
    return done


def _arrival_text(site: Site) -> dict[str, Any]:
    """Plausible first-day details for a demo site (invented, our words)."""
    if site.kind == SiteKind.VIRTUAL:
        return {
            "first_day_time": dt.time(9, 0),
            "meeting_place": "Video visit room (link in your welcome email)",
            "ask_for": "The clinic host on duty",
            "dress_code": "Business casual from the waist up; plain background, good light.",
            "what_to_bring": "A laptop with camera and headset, a quiet room, photo ID.",
            "site_contact": "Telehealth desk, +1 212 555 0147, telehealth@example.org",
            "access_steps": (
                "Sign the confidentiality agreement sent by email, then complete the "
                "video-platform training (about 30 minutes) before the first day."
            ),
        }
    return {
        "first_day_time": dt.time(7, 30),
        "meeting_place": f"Main entrance, {site.address}: medical education office",
        "ask_for": "The medical education coordinator",
        "dress_code": "Business casual, closed-toe shoes, short white coat if you have one.",
        "what_to_bring": (
            "Passport or photo ID, printed confirmation, immunization record, stethoscope."
        ),
        "parking_transit": (
            "Visitor garage next to the main entrance (daily rate); city buses stop at the "
            "front door."
        ),
        "housing": (
            "Furnished short-term rooms within 15 minutes; ask the coordinator for the list "
            "past students used."
        ),
        "site_contact": "Medical education office, +1 555 0100 (weekdays 8–4)",
        "access_steps": (
            "Collect your visitor badge at security with your ID. EHR read-only access: "
            "finish the online privacy module the office emails you, then sign the access "
            "form on day one."
        ),
    }


def _arrivals(coordinator: User) -> None:
    """Arrival details for every demo rotation that has none; one session overrides the time."""
    for rotation in Rotation.objects.select_related("site").filter(arrival__isnull=True):
        details = _arrival_text(rotation.site)
        rotation_arrival_update(actor=coordinator, rotation=rotation, **details)
    first = RotationSession.objects.filter(
        rotation__site__kind=SiteKind.HOSPITAL, arrival__isnull=True
    ).first()
    if first is not None and not RotationSession.objects.filter(arrival__isnull=False).exists():
        session_arrival_update(
            actor=coordinator,
            session=first,
            first_day_time=dt.time(8, 30),
            ask_for="The chief resident (orientation week starts later this session)",
        )


def seed(context: dict[str, Any]) -> None:
    users: dict[str, User] = context["users"]
    coordinator = users["coordinator"]
    out = context["stdout"]
    # Demo data should not print dozens of notification emails to the console.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for spec in SITES:
            _site(coordinator, spec)
        for rotation_spec in ROTATIONS:
            _rotation(coordinator, rotation_spec, users)
        created = _applications(users, coordinator)
        _arrivals(coordinator)
        seed_money(coordinator)  # demo_money.py: refund schedules, receipts, a refund
    out.write(
        f"  rotations: {Rotation.objects.count()} rotations, "
        f"{RotationSession.objects.count()} sessions, {created} new demo applications"
    )
