"""Season readiness: what is still missing before the applicant submits in ERAS, each gap with
the Matchway page that fixes it. A read (selector), never a write."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from matchway.accounts.models import ApplicantProfile, User
from matchway.letters.selectors import letter_counts_by_specialty
from matchway.statements.selectors import statement_list_for_user

from .fit import ApplicantFacts
from .selectors_programs import applicant_facts, target_queryset_for_user

DONE = "done"
MISSING = "missing"
WARNING = "warning"


@dataclass(frozen=True)
class ReadinessItem:
    kind: str
    status: str
    message: str
    url: str
    label: str = ""


def _profile_items(profile: ApplicantProfile | None) -> list[ReadinessItem]:
    profile_url = reverse("accounts:profile")
    step2 = (profile.usmle_step2ck if profile else "").strip()
    items = [
        ReadinessItem(
            kind="step2ck",
            status=DONE if step2 else MISSING,
            message=(
                _("Step 2 CK score on your profile: %(s)s.") % {"s": step2}
                if step2
                else _("Add your Step 2 CK score to your profile so fit can check minimums.")
            ),
            url=profile_url,
            label=_("Edit profile"),
        )
    ]
    ecfmg = profile.ecfmg_status if profile else ""
    shown = profile.get_ecfmg_status_display() if profile is not None and ecfmg else ""
    if ecfmg in ("certified", "not_applicable"):
        status, message = DONE, _("ECFMG status: %(s)s.") % {"s": shown}
    elif ecfmg:
        status = WARNING
        message = _("ECFMG certification is %(s)s; programs may need it before you start.") % {
            "s": str(shown).lower()
        }
    else:
        status, message = MISSING, _("Say on your profile where you are with ECFMG certification.")
    items.append(
        ReadinessItem(
            kind="ecfmg", status=status, message=message, url=profile_url, label=_("Edit profile")
        )
    )
    return items


def _usce_item(facts: ApplicantFacts) -> ReadinessItem:
    if facts.usce:
        hands_on = sum(1 for s in facts.usce if s.hands_on)
        return ReadinessItem(
            kind="usce",
            status=DONE,
            message=_(
                "%(n)s certified rotation(s) count as US clinical experience (%(h)s hands-on)."
            )
            % {"n": len(facts.usce), "h": hands_on},
            url=reverse("certificates:list"),
            label=_("My certificates"),
        )
    return ReadinessItem(
        kind="usce",
        status=MISSING,
        message=_(
            "No completed rotation with a certificate yet: programs that ask for US clinical "
            "experience cannot count any."
        ),
        url=reverse("rotations:catalog"),
        label=_("Find a rotation"),
    )


def readiness_for_user(*, user: User) -> list[ReadinessItem]:
    """Profile (Step 2 CK, ECFMG), USCE, and per specialty in the applicant's list: letters
    received and a statement written for it."""
    profile = ApplicantProfile.objects.filter(user=user).first()
    items = _profile_items(profile)
    items.append(_usce_item(applicant_facts(user=user)))
    specialties = dict(
        target_queryset_for_user(user=user)
        .values_list("program__specialty_id", "program__specialty__name")
        .order_by("program__specialty__name")
        .distinct()
    )
    letters = letter_counts_by_specialty(viewer=user)
    general = letters.get("general", 0)
    statements: dict[str, int] = defaultdict(int)
    for statement in statement_list_for_user(user=user):
        if statement.specialty_id and getattr(statement, "current_characters", None):
            statements[statement.specialty_id] += 1
    for code, name in specialties.items():
        count = letters.get(code, 0)
        items.append(
            ReadinessItem(
                kind="letters",
                status=DONE if count or general else MISSING,
                message=_(
                    "%(name)s: %(n)s letter(s) received for this specialty and %(g)s general."
                )
                % {"name": name, "n": count, "g": general},
                url=reverse("letters:request-list"),
                label=_("Letters"),
            )
        )
        items.append(
            ReadinessItem(
                kind="statement",
                status=DONE if statements.get(code) else MISSING,
                message=(
                    _("%(name)s: a statement is written for this specialty.") % {"name": name}
                    if statements.get(code)
                    else _("%(name)s: no statement targets this specialty yet.") % {"name": name}
                ),
                url=reverse("statements:list"),
                label=_("Statements"),
            )
        )
    return items
