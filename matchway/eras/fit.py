"""Fit of one program's requirements against the applicant's facts: pure, explained.

No database and no clock here: `ApplicantFacts` is built by the selectors (profile fields and
the USCE Matchway itself confirmed: completed rotations with a valid certificate, never
self-report) and carries `today`. Each requirement gives one `FitLine` saying met / not met /
unknown and why, in words the applicant can check (docs/dev/eras.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

MET = "met"
NOT_MET = "not_met"
UNKNOWN = "unknown"
VERDICTS = (MET, NOT_MET, UNKNOWN)

# Four weeks of a rotation count as one month of USCE (how programs and ERAS count it).
WEEKS_PER_MONTH = 4
VISA_WORDS = {"j1": "J-1", "h1b": "H-1B", "none": "none"}


@dataclass(frozen=True)
class UsceStint:
    """One completed rotation with a valid Matchway certificate."""

    title: str
    hands_on: bool
    start_date: dt.date
    end_date: dt.date
    certificate: str

    @property
    def months(self) -> Decimal:
        weeks = round(((self.end_date - self.start_date).days + 1) / 7)
        return (Decimal(weeks) / WEEKS_PER_MONTH).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class ApplicantFacts:
    today: dt.date
    step2_score: int | None = None
    attempts: int | None = None
    graduation_year: int | None = None
    is_graduate: bool = False
    visa_need: str = ""  # "" unknown, none, j1, h1b, unsure
    ecfmg_status: str = ""  # "" unknown, not_started, in_progress, certified, not_applicable
    usce: tuple[UsceStint, ...] = ()


@dataclass(frozen=True)
class Requirement:
    kind: str
    value: str
    strictness: str = "unknown"
    source_url: str = ""
    checked_on: dt.date | None = None


@dataclass(frozen=True)
class FitLine:
    kind: str
    verdict: str
    reason: str
    strictness: str
    source_url: str = ""
    checked_on: dt.date | None = None


def parse_score(text: str) -> int | None:
    """A Step 2 CK score from the profile's free text ("245", "245 (2025)"); None if absent."""
    match = re.search(r"\d{3}", text or "")
    return int(match.group()) if match else None


def _int(value: str) -> int | None:
    match = re.fullmatch(r"\s*(\d{1,4})\s*", value or "")
    return int(match.group(1)) if match else None


def _months_text(months: Decimal) -> str:
    return f"{months.normalize():f}"


def _stints(
    facts: ApplicantFacts, *, hands_on_only: bool, within_months: int | None
) -> list[UsceStint]:
    rows = []
    for stint in facts.usce:
        if hands_on_only and not stint.hands_on:
            continue
        if within_months is not None and _months_between(stint.end_date, facts.today) > (
            within_months
        ):
            continue
        rows.append(stint)
    return rows


def _months_between(earlier: dt.date, later: dt.date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(months, 0)


def _certificates(stints: Sequence[UsceStint]) -> str:
    return ", ".join(s.certificate for s in stints)


def _requirement_map(requirements: Iterable[Requirement]) -> dict[str, Requirement]:
    return {r.kind: r for r in requirements}


def _step2(req: Requirement, facts: ApplicantFacts) -> tuple[str, str]:
    wanted = _int(req.value)
    if wanted is None:
        return UNKNOWN, _("The program's minimum score (%(v)s) is not a number.") % {"v": req.value}
    if facts.step2_score is None:
        return UNKNOWN, _(
            "Program asks for at least %(min)s on Step 2 CK; your profile has no Step 2 CK score."
        ) % {"min": wanted}
    verdict = MET if facts.step2_score >= wanted else NOT_MET
    return verdict, _("Program asks for at least %(min)s on Step 2 CK; you have %(score)s.") % {
        "min": wanted,
        "score": facts.step2_score,
    }


def _attempts(req: Requirement, facts: ApplicantFacts) -> tuple[str, str]:
    allowed = _int(req.value)
    if allowed is None:
        return UNKNOWN, _("The program's attempt limit (%(v)s) is not a number.") % {"v": req.value}
    if facts.attempts is None:
        return UNKNOWN, _(
            "Program accepts at most %(n)s attempt(s) per USMLE step; your profile does not say "
            "how many attempts you took."
        ) % {"n": allowed}
    verdict = MET if facts.attempts <= allowed else NOT_MET
    return verdict, _(
        "Program accepts at most %(n)s attempt(s) per USMLE step; your most attempts at one "
        "step: %(mine)s."
    ) % {"n": allowed, "mine": facts.attempts}


def _graduation(req: Requirement, facts: ApplicantFacts) -> tuple[str, str]:
    limit = _int(req.value)
    if limit is None:
        return UNKNOWN, _("The program's limit (%(v)s) is not a number.") % {"v": req.value}
    if facts.graduation_year is None:
        return UNKNOWN, _(
            "Program asks that you graduated within %(n)s years; your profile has no "
            "graduation year."
        ) % {"n": limit}
    years = max(facts.today.year - facts.graduation_year, 0)
    verdict = MET if years <= limit else NOT_MET
    return verdict, _(
        "Program asks that you graduated within %(n)s years; you graduated in %(year)s "
        "(%(years)s years ago)."
    ) % {"n": limit, "year": facts.graduation_year, "years": years}


def _usce_months(
    req: Requirement, facts: ApplicantFacts, others: dict[str, Requirement]
) -> tuple[str, str]:
    wanted = _int(req.value)
    if wanted is None:
        return UNKNOWN, _("The program's USCE months (%(v)s) is not a number.") % {"v": req.value}
    kind = others.get("usce_kind")
    hands_on_only = kind is not None and kind.value.strip().lower() == "hands_on"
    recency = others.get("usce_recency")
    within = _int(recency.value) if recency is not None else None
    stints = _stints(facts, hands_on_only=hands_on_only, within_months=within)
    have = sum((s.months for s in stints), Decimal("0"))
    what = _("hands-on USCE") if hands_on_only else _("USCE")
    when = _(" within %(n)s months") % {"n": within} if within is not None else ""
    asks = _("Program asks for %(n)s months of %(what)s%(when)s") % {
        "n": wanted,
        "what": what,
        "when": when,
    }
    if not stints:
        return NOT_MET, asks + _(
            "; Matchway has no completed rotation with a certificate that counts."
        )
    return (MET if have >= wanted else NOT_MET), asks + _(
        "; you have %(have)s months, certificate %(certs)s."
    ) % {"have": _months_text(have), "certs": _certificates(stints)}


def _usce_kind(req: Requirement, facts: ApplicantFacts) -> tuple[str, str]:
    value = req.value.strip().lower()
    if value != "hands_on":
        if facts.usce:
            return MET, _("Program accepts any kind of USCE; certificate %(c)s.") % {
                "c": _certificates(facts.usce)
            }
        return NOT_MET, _(
            "Program asks for US clinical experience; Matchway has no completed rotation "
            "with a certificate."
        )
    hands_on = [s for s in facts.usce if s.hands_on]
    if hands_on:
        return MET, _("Program asks for hands-on USCE; you have it, certificate %(c)s.") % {
            "c": _certificates(hands_on)
        }
    if facts.usce:
        return NOT_MET, _(
            "Program asks for hands-on USCE; your certified rotations (%(c)s) were observerships."
        ) % {"c": _certificates(facts.usce)}
    return NOT_MET, _(
        "Program asks for hands-on USCE; Matchway has no completed rotation with a certificate."
    )


def _usce_recency(req: Requirement, facts: ApplicantFacts) -> tuple[str, str]:
    within = _int(req.value)
    if within is None:
        return UNKNOWN, _("The program's recency (%(v)s) is not a number.") % {"v": req.value}
    recent = _stints(facts, hands_on_only=False, within_months=within)
    if recent:
        return MET, _(
            "Program asks for USCE within the last %(n)s months; certificate %(c)s is recent "
            "enough."
        ) % {"n": within, "c": _certificates(recent)}
    if facts.usce:
        latest = max(s.end_date for s in facts.usce)
        return NOT_MET, _(
            "Program asks for USCE within the last %(n)s months; your latest certified "
            "rotation ended on %(d)s."
        ) % {"n": within, "d": latest.isoformat()}
    return NOT_MET, _(
        "Program asks for USCE within the last %(n)s months; Matchway has no completed "
        "rotation with a certificate."
    ) % {"n": within}


def _ecfmg(req: Requirement, facts: ApplicantFacts) -> tuple[str, str]:
    try:
        deadline = dt.date.fromisoformat(req.value.strip())
    except ValueError:
        deadline = None
    when = deadline.isoformat() if deadline else req.value
    asks = _("Program needs ECFMG certification by %(d)s") % {"d": when}
    if facts.ecfmg_status in ("certified", "not_applicable"):
        return MET, asks + _("; your profile says: %(s)s.") % {
            "s": _("certified") if facts.ecfmg_status == "certified" else _("not applicable")
        }
    if not facts.ecfmg_status:
        return UNKNOWN, asks + _("; your profile has no ECFMG status.")
    if deadline is not None and deadline < facts.today:
        return NOT_MET, asks + _("; that date has passed and you are not certified.")
    return UNKNOWN, asks + _("; you are not certified yet, so it depends on finishing in time.")


def _visas(req: Requirement, facts: ApplicantFacts) -> tuple[str, str]:
    offered = {v.strip().lower().replace("-", "") for v in req.value.split(",") if v.strip()}
    words = ", ".join(VISA_WORDS.get(v, v) for v in sorted(offered)) or _("nothing stated")
    asks = _("Program sponsors: %(v)s") % {"v": words}
    need = facts.visa_need
    if need == "none":
        return MET, asks + _("; you need no visa.")
    if need in ("j1", "h1b"):
        if need in offered:
            return MET, asks + _("; you need %(v)s.") % {"v": VISA_WORDS[need]}
        return NOT_MET, asks + _("; you need %(v)s.") % {"v": VISA_WORDS[need]}
    return UNKNOWN, asks + _("; your profile does not say which visa you need.")


def _informational(req: Requirement) -> tuple[str, str]:
    return UNKNOWN, _(
        "The program states “%(v)s”; Matchway cannot check this from your profile, read the source."
    ) % {"v": req.value}


def fit_lines(requirements: Iterable[Requirement], facts: ApplicantFacts) -> list[FitLine]:
    """One explained line per requirement, in the order given."""
    reqs = list(requirements)
    by_kind = _requirement_map(reqs)
    lines = []
    for req in reqs:
        if req.kind == "step2_min":
            verdict, reason = _step2(req, facts)
        elif req.kind == "attempts":
            verdict, reason = _attempts(req, facts)
        elif req.kind == "years_since_graduation":
            verdict, reason = _graduation(req, facts)
        elif req.kind == "usce_months":
            verdict, reason = _usce_months(req, facts, by_kind)
        elif req.kind == "usce_kind":
            verdict, reason = _usce_kind(req, facts)
        elif req.kind == "usce_recency":
            verdict, reason = _usce_recency(req, facts)
        elif req.kind == "ecfmg_by":
            verdict, reason = _ecfmg(req, facts)
        elif req.kind == "visas":
            verdict, reason = _visas(req, facts)
        else:
            verdict, reason = _informational(req)
        lines.append(
            FitLine(
                kind=req.kind,
                verdict=verdict,
                reason=reason,
                strictness=req.strictness,
                source_url=req.source_url,
                checked_on=req.checked_on,
            )
        )
    return lines


def fit_summary(lines: Sequence[FitLine]) -> str:
    """The program as a whole: not met if any line is not met, unknown if any line is
    unknown (or there is nothing to check), met only when every line is met."""
    verdicts = {line.verdict for line in lines}
    if NOT_MET in verdicts:
        return NOT_MET
    if UNKNOWN in verdicts or not lines:
        return UNKNOWN
    return MET
