"""Before Match Week: what an applicant can prepare weeks ahead, read from their own data.

Eligibility facts (domain-facts.md §4.3): registered for the Main Match, eligible to start
training on July 1 (ECFMG verifies this for IMGs), and partially or fully unmatched on
Monday. We can check only what the profile says; the rest is for the applicant to confirm.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matchway.accounts.models import ApplicantProfile, EcfmgStatus, User
from matchway.letters.selectors import letter_counts_by_specialty
from matchway.statements.selectors import statement_list_for_user


@dataclass(frozen=True)
class Item:
    kind: str
    status: str  # done | missing | warning
    title: str
    detail: str
    url: str


def checklist(user: User) -> list[Item]:
    profile = ApplicantProfile.objects.filter(user=user).first()
    targets = list(profile.target_specialties.all()) if profile else []
    items: list[Item] = []
    profile_url = reverse("accounts:profile")
    status = profile.ecfmg_status if profile else ""
    if status in (EcfmgStatus.CERTIFIED, EcfmgStatus.NOT_APPLICABLE):
        items.append(
            Item(
                "eligibility",
                "done",
                _("Eligible to start training on July 1"),
                _(
                    "Your profile says ECFMG certified (or a US graduate). SOAP also needs you "
                    "registered for the Main Match and unmatched or partially matched on "
                    "Monday; R3 shows your eligibility on the Friday before."
                ),
                profile_url,
            )
        )
    else:
        items.append(
            Item(
                "eligibility",
                "warning" if status == EcfmgStatus.IN_PROGRESS else "missing",
                _("ECFMG status"),
                _(
                    "For IMGs, ECFMG verifies that you can start training on July 1; without "
                    "that you are not SOAP-eligible. Update your ECFMG status in your profile."
                ),
                profile_url,
            )
        )
    statements = list(statement_list_for_user(user=user).select_related("specialty"))
    statement_specialties = {s.specialty.code for s in statements if s.specialty}
    letters = letter_counts_by_specialty(viewer=user)
    missing_statements = [t.name for t in targets if t.code not in statement_specialties]
    items.append(
        Item(
            "statements",
            "done" if statements and not missing_statements else "missing",
            _("A statement for each specialty you would accept"),
            (
                _("Missing for: %s.") % ", ".join(missing_statements)
                if missing_statements
                else _("%d statements ready to reuse.") % len(statements)
            ),
            reverse("statements:list"),
        )
    )
    missing_letters = [t.name for t in targets if not letters.get(t.code)]
    items.append(
        Item(
            "letters",
            "done" if sum(letters.values()) and not missing_letters else "missing",
            _("Letters per specialty (up to 4 per program)"),
            (
                _("No uploaded letter yet for: %s.") % ", ".join(missing_letters)
                if missing_letters
                else _("%d uploaded letters.") % sum(letters.values())
            ),
            reverse("letters:request-list"),
        )
    )
    items.append(
        Item(
            "cv_photo",
            "warning",
            _("Updated CV and photo"),
            _("Check that the CV and photo in ERAS are current; keep copies in your documents."),
            reverse("documents:vault"),
        )
    )
    items.append(
        Item(
            "short_list",
            "done" if targets else "missing",
            _("A short list of specialties and states"),
            (
                ", ".join(t.name for t in targets)
                if targets
                else _(
                    "Choose target specialties in your profile; note the states you would go to."
                )
            ),
            profile_url,
        )
    )
    return items


RULES = tuple(
    gettext_lazy(rule)
    for rule in (
        "Do not contact a program, or let anyone contact it for you, before it contacts you after "
        "receiving your application.",
        "Accepting an offer is binding: you cannot send more SOAP applications afterwards.",
        "A program whose offer you declined or let expire does not offer again.",
        "The list of unfilled programs must not be copied or shared with anyone not eligible for "
        "SOAP. Your imported copy here is private and can be deleted in one click.",
    )
)
