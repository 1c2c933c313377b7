from __future__ import annotations

import zoneinfo
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from matchway.core import clock
from matchway.core.models import TimeStampedModel


def timezone_choices() -> list[tuple[str, str]]:
    zones = sorted(
        z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith("Etc")
    )
    return [(z, z.replace("_", " ")) for z in zones]


HONORIFICS = frozenset({"dr", "prof", "mr", "mrs", "ms", "mx", "miss"})


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    PRECEPTOR = "preceptor", _("Preceptor")
    COORDINATOR = "coordinator", _("Coordinator")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.COORDINATOR)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Email is the login; one primary role. Superusers are operators."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.APPLICANT)
    # Validated against zoneinfo in forms, not with `choices`: the tz list changes with tzdata
    # and would otherwise churn migrations.
    timezone = models.CharField(_("time zone"), max_length=64, default="America/New_York")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=dj_timezone.now)

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        """First name for greetings: "Dr. Daniel Reyes" → "Daniel"."""
        parts = [p for p in self.full_name.split() if p.rstrip(".").lower() not in HONORIFICS]
        return parts[0] if parts else (self.full_name or self.email)

    @property
    def is_applicant(self) -> bool:
        return self.role == Role.APPLICANT

    @property
    def is_preceptor(self) -> bool:
        return self.role == Role.PRECEPTOR

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR


class EcfmgStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    CERTIFIED = "certified", _("Certified")
    NOT_APPLICABLE = "not_applicable", _("Not applicable (US graduate)")


class VisaNeed(models.TextChoices):
    NONE = "none", _("No visa needed")
    J1 = "j1", _("J-1")
    H1B = "h1b", _("H-1B")
    UNSURE = "unsure", _("Not sure yet")


class ApplicantProfile(TimeStampedModel):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="applicant_profile")
    medical_school = models.CharField(_("medical school"), max_length=200, blank=True)
    country = models.CharField(_("country of medical school"), max_length=100, blank=True)
    graduation_year = models.PositiveSmallIntegerField(_("graduation year"), null=True, blank=True)
    is_graduate = models.BooleanField(
        _("graduated"), default=False, help_text=_("Leave unticked while you are enrolled.")
    )
    ecfmg_status = models.CharField(
        _("ECFMG status"), max_length=20, choices=EcfmgStatus.choices, blank=True
    )
    usmle_step1 = models.CharField(_("USMLE Step 1"), max_length=20, blank=True)
    usmle_step2ck = models.CharField(_("USMLE Step 2 CK score"), max_length=20, blank=True)
    # Programs often state "first attempt only" (or at most two); the ERAS fit reads this.
    usmle_attempts = models.PositiveSmallIntegerField(
        _("most attempts at any USMLE step"),
        null=True,
        blank=True,
        help_text=_("1 if you passed every step on the first attempt. Leave empty to skip."),
    )
    visa_need = models.CharField(_("visa"), max_length=10, choices=VisaNeed.choices, blank=True)
    target_specialties = models.ManyToManyField(
        "reference.Specialty", blank=True, related_name="+", verbose_name=_("target specialties")
    )

    COMPLETENESS_FIELDS: ClassVar[tuple[str, ...]] = (
        "medical_school",
        "country",
        "graduation_year",
        "ecfmg_status",
        "usmle_step1",
        "visa_need",
    )

    def __str__(self) -> str:
        return f"Applicant profile of {self.user}"


class PreceptorProfile(TimeStampedModel):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="preceptor_profile")
    title = models.CharField(_("title"), max_length=100, blank=True, help_text=_("e.g. MD, FACP"))
    department = models.CharField(_("department"), max_length=150, blank=True)
    specialty = models.ForeignKey(
        "reference.Specialty", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bio = models.TextField(_("short bio"), blank=True, max_length=2000)
    licence_state = models.CharField(_("licence state"), max_length=2, blank=True)
    licence_number = models.CharField(_("licence number"), max_length=50, blank=True)
    board_certification = models.CharField(_("board certification"), max_length=200, blank=True)
    hospital_affiliation = models.CharField(_("hospital affiliation"), max_length=200, blank=True)
    accepts_letter_requests = models.BooleanField(_("accepts letter requests"), default=True)

    COMPLETENESS_FIELDS: ClassVar[tuple[str, ...]] = (
        "title",
        "department",
        "specialty",
        "bio",
        "licence_state",
        "licence_number",
        "board_certification",
        "hospital_affiliation",
    )

    def __str__(self) -> str:
        return f"Preceptor profile of {self.user}"


class ApiTokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


#: Methods a read-only token may use; everything else changes something.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the prefix helps people tell them apart."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(
        _("scope"), max_length=5, choices=ApiTokenScope.choices, default=ApiTokenScope.READ
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # The last address and a short list of recent ones: enough to notice a new address
    # (audited once per address) without keeping a history of where someone works from.
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)
    recent_ips = models.JSONField(default=list, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    RECENT_IPS_KEPT: ClassVar[int] = 8

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= clock.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    def allows_method(self, method: str) -> bool:
        return self.scope == ApiTokenScope.WRITE or method.upper() in SAFE_METHODS


class Invitation(models.Model):
    """A coordinator invites a preceptor or coordinator; the link is a core token."""

    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} ({self.role})"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.expires_at > clock.now()


class ConsentKind(models.TextChoices):
    TERMS = "terms", _("Terms of use")
    PRIVACY = "privacy", _("Privacy policy")


class Consent(models.Model):
    """A person accepted one version of the Terms of use or the Privacy policy
    (`organization.PolicyPage`). Append-only: a new version adds a row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    kind = models.CharField(max_length=10, choices=ConsentKind.choices)
    version = models.PositiveIntegerField()
    accepted_at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "version"], name="consent_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version}"
