"""US telephone and fax numbers.

A cheap regex proposes candidates and ``phonenumbers`` decides whether the digits form a
real NANP number, which rejects look-alikes such as lab ranges or ID fragments. Whether a
number is a fax depends only on the nearest label in front of it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import phonenumbers

from ._model import Candidate
from ._scan import Scan

_PHONE = re.compile(
    r"(?<![\w/.+-])(?:\+?1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-]?)\d{3}[ .-]?\d{4}(?![\w/-]|\.\d)"
)
# Seven-digit local numbers are too ambiguous on their own; accept them right after a label.
_LOCAL = re.compile(r"(?<![\w-])\d{3}-\d{4}(?![\w-])")
_LOCAL_LABEL_BEFORE = re.compile(
    r"(?i:\b(?:phone|cell|tel|mobile|pager|fax|number|call|text)\b)\s*[:#]?\s*$"
)
_LABEL = re.compile(
    r"(?i)\b(?:(fax(?:ed|ing)?(?:\s+(?:number|no\.?|\#))?)|(f)(?=\s*:)|tel(?:ephone)?|phone"
    r"|ph|cell(?:phone)?|mobile|call(?:ed)?|pager|text|number|contact|reach|home|work"
    r"|[tpcm](?=\s*:))\b"
)
_LOOKBACK = 40


def _is_fax(text: str, start: int, floor: int) -> tuple[bool, bool]:
    """Return (is_fax, has_label) from the last label between ``floor`` and ``start``."""
    last: re.Match[str] | None = None
    for label in _LABEL.finditer(text, max(floor, start - _LOOKBACK), start):
        last = label
    if last is None:
        return False, False
    return bool(last.group(1) or last.group(2)), True


def _valid_us(raw: str) -> bool:
    digits = "".join(ch for ch in raw if ch.isdigit())
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    return len(digits) == 10 and _valid_nanp(digits)


@functools.lru_cache(maxsize=4096)
def _valid_nanp(digits: str) -> bool:
    # Building the number directly skips phonenumbers' text parser, its slowest step; the
    # cache helps because journals repeat the same family contact numbers.
    number = phonenumbers.PhoneNumber(country_code=1, national_number=int(digits))
    return bool(phonenumbers.is_valid_number(number))


def _shapes(scan: Scan) -> list[re.Match[str]]:
    text = scan.text
    found: list[re.Match[str]] = []
    for pos in scan.digit_starts():
        # "(415) ..." and "+1 ..." start one character before their first digit.
        start = pos - 1 if pos and text[pos - 1] in "(+" else pos
        m = _PHONE.match(text, start)
        if m is None and start != pos:
            m = _PHONE.match(text, pos)
        if m is not None:
            found.append(m)
    return found


def phone_candidates(scan: Scan) -> Iterator[Candidate]:
    """Yield phone and fax numbers; a number typed without separators needs a label."""
    text = scan.text
    previous_end = 0
    for m in _shapes(scan):
        if m.start() < previous_end:
            continue  # the tail of a number already taken, e.g. "212 555 0123" in "+1 212 ..."
        raw = m.group()
        if not _valid_us(raw):
            continue
        is_fax, has_label = _is_fax(text, m.start(), previous_end)
        if raw.isdigit() and not has_label:
            # Ten bare digits are as likely an order or lab accession number.
            continue
        previous_end = m.end()
        kind = "fax" if is_fax else "phone"
        yield Candidate(kind, m.start(), m.end(), f"[{kind}]", 3)
    for pos in scan.digit_starts():
        local = _LOCAL.match(text, pos)
        if local and scan.ends_with(_LOCAL_LABEL_BEFORE, pos, 30):
            is_fax, _ = _is_fax(text, pos, 0)
            kind = "fax" if is_fax else "phone"
            yield Candidate(kind, local.start(), local.end(), f"[{kind}]", 3)
