"""Dates tied to a person and ages over 89 (HIPAA Safe Harbor items C and the age rule).

A bare year is not an identifier ("in 2023 I rotated"), so every rule needs a day, or a
month plus year in a clinical-event context. Slash fractions such as "BP 120/80" or
"1/2 tablet" have only two parts and are never dates; three-part numbers are validated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ._model import Candidate
from ._scan import Scan

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|20)\d{2}"

_MONTH_DAY = re.compile(
    rf"{_MONTH}\.?\s+{_DAY}(?![\d:/.]\d|\d)(?:,?\s+{_YEAR}\b)?(?!\s*(?:mg|mL|kg|%))"
)
_MONTH_YEAR = re.compile(rf"{_MONTH}\.?,?\s+(?:of\s+)?{_YEAR}\b")
_MONTH_STARTS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAY_MONTH = re.compile(rf"{_DAY}\s+(?:of\s+)?{_MONTH}\b\.?(?:,?\s+{_YEAR}\b)?")
_WEEKDAY_BEFORE = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+$")
_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")
# Month-plus-year is only an identifier when it dates something that happened to the patient.
_EVENT_CONTEXT = re.compile(
    r"(?i)\b(?:admi\w*|discharg\w*|born|birth|DOB|died|death|deceased|passed|visit\w*|seen"
    r"|surgery|operat\w*|procedure|diagnos\w*|transplant\w*|biops\w*|scan|MRI|CT|echo"
    r"|colonoscopy|mammogram|hospitali[sz]\w*|since|last|deliver\w*|fell|fall|injur\w*"
    r"|accident|stroke|infarct\w*|treated|implant\w*|placed|vaccin\w*)\b"
)
_NUMERIC = re.compile(r"(?<![\w/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\w/-]|\.\d)")
_ISO = re.compile(
    rf"(?<![\w/.-]){_YEAR}([/.-])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])(?![\w/-]|\.\d)"
)
# "admitted 3/14" has no year, so it needs an event word right before it.
_SHORT_NUMERIC = re.compile(
    r"(?<![\w/.-])(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])(?![\w/-]|\.\d)"
)
_SHORT_CONTEXT = re.compile(
    r"(?i:\b(?:admitted|discharged|seen|dated|DOB|born|died|visit|surgery|scheduled\s+for"
    r"|appointment|since)\s+(?:on\s+)?)$"
)

_OVER_89 = r"(?:9\d|1[0-2]\d)"
_TENS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_SPELLED = rf"(?:ninety(?:[- ]{_TENS})?|(?:one\s+)?hundred(?:\s+and\s+{_TENS})?)"
_PERSON = (
    r"(?:man|woman|male|female|patient|pt|gentleman|lady|veteran|resident|widow|widower"
    r"|M|F|m|f)"
)
_ARTICLE_BEFORE = re.compile(r"\b(?:an?|An?)\s+$")
_YEARS_OLD = re.compile(
    rf"\b(?:{_OVER_89}|{_SPELLED})[- ]?(?:years?|yrs?|y)[- ]?old\b(?:\s+{_PERSON}\b)?",
    re.IGNORECASE,
)
_YO = re.compile(rf"(?<![\w.]){_OVER_89}[- ]?(?:yo\b|y/o\b|y\.o\.)(?:\s+{_PERSON}\b)?")
_AGED = re.compile(
    rf"\b(?:aged?|Aged?|AGE)\s*[:=]?\s*(?:of\s+)?{_OVER_89}(?!\w|\.\d|%|\s*(?:mg|kg))"
)
_TURNED = re.compile(rf"\bturned\s+({_OVER_89})(?!\w|\.\d|%)")
_BIRTHDAY = re.compile(rf"{_OVER_89}(?:st|nd|rd|th)\s+birthday\b", re.IGNORECASE)
# "Pt is 97": a bare number is an age only with a person as the subject and no unit after it
# ("HR is 97", "she was 95% on room air" stay untouched).
_SUBJECT_IS = re.compile(
    rf"\b(?:[Pp]t|[Pp]atient|[Ss]he|[Hh]e)\s+(?:is|was|is\s+now)\s+({_OVER_89})"
    r"(?!\w|\.\d|\s*(?:%|percent|mg|kg|lbs?|bpm|beats|mm|cm|F\b|C\b|degrees|over|/))"
)


def _valid_numeric(first: int, second: int) -> bool:
    # Accept both month-first (US) and day-first notes; at least one part must be a month.
    if not (1 <= first <= 31 and 1 <= second <= 31):
        return False
    return first <= 12 or second <= 12


def _date(start: int, end: int) -> Candidate:
    return Candidate("date", start, end, "[date]", 3)


def _numeric_dates(scan: Scan, pos: int) -> Iterator[Candidate]:
    text = scan.text
    if m := _NUMERIC.match(text, pos):
        first, sep, second, year = m.groups()
        # Dotted dates with a two-digit year read like version numbers; demand four digits.
        if (sep != "." or len(year) == 4) and _valid_numeric(int(first), int(second)):
            yield _date(m.start(), m.end())
    if m := _ISO.match(text, pos):
        yield _date(m.start(), m.end())
    if (m := _SHORT_NUMERIC.match(text, pos)) and scan.ends_with(_SHORT_CONTEXT, pos, 30):
        yield _date(m.start(), m.end())
    if m := _DAY_MONTH.match(text, pos):
        the = scan.ends_with(_THE_BEFORE, pos, 6)
        yield _date(the.start() if the else m.start(), m.end())


def date_candidates(scan: Scan) -> Iterator[Candidate]:
    """Yield explicit calendar dates."""
    for pos in scan.word_starts(_MONTH_STARTS, case_sensitive=True):
        weekday = scan.ends_with(_WEEKDAY_BEFORE, pos, 12)
        start = weekday.start() if weekday else pos
        m = _MONTH_DAY.match(scan.text, pos)
        if m is None and scan.ends_with(_EVENT_CONTEXT, pos, 60) is not None:
            m = _MONTH_YEAR.match(scan.text, pos)
        if m is not None:
            yield _date(start, m.end())
    for pos in scan.digit_starts():
        yield from _numeric_dates(scan, pos)


def _age(scan: Scan, m: re.Match[str]) -> Candidate:
    article = scan.ends_with(_ARTICLE_BEFORE, m.start(), 4)
    start = article.start() if article else m.start()
    return Candidate("age", start, m.end(), "a patient over 89", 3)


def age_candidates(scan: Scan) -> Iterator[Candidate]:
    """Yield ages above 89; the span takes in "a" and the noun so the suggestion reads well."""
    text = scan.text
    for pos in scan.digit_starts():
        if m := _YEARS_OLD.match(text, pos) or _YO.match(text, pos):
            yield _age(scan, m)
        elif m := _BIRTHDAY.match(text, pos):
            yield Candidate("age", m.start(), m.end(), "a patient over 89", 3)
    for m in scan.labelled(_YEARS_OLD, ("ninety", "one", "hundred")):
        yield _age(scan, m)
    for m in scan.labelled(_AGED, ("age",)):
        yield Candidate("age", m.start(), m.end(), "a patient over 89", 3)
    for m in scan.labelled(_TURNED, ("turned",)):
        yield Candidate("age", m.start(1), m.end(1), "a patient over 89", 3)
    for m in scan.labelled(_SUBJECT_IS, ("pt", "patient", "she", "he")):
        yield Candidate("age", m.start(1), m.end(1), "a patient over 89", 3)
