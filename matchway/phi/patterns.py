"""Rules for identifiers that have a recognisable shape or an explicit label.

Patterns are tried at anchors (see ``_scan``) and begin with a look-behind that refuses to
start inside a token, so a long run of letters or digits is never rescanned from every
position. Repetitions are bounded and never nested ambiguously, so matching stays linear.
"""

from __future__ import annotations

import ipaddress
import re
import string
from collections.abc import Iterator

from ._model import Candidate
from ._scan import Scan

# Values that follow a label ("MRN 1234567", "ID: XK-99812"): upper-case letters, digits and
# inner hyphens. Case-sensitive on purpose so "ID consult" or "serial troponins" never match.
_VALUE = r"([A-Z0-9][A-Z0-9-]{2,24}[A-Z0-9])(?![\w-])"
# Glue between a label and its value: "MRN: 123", "MRN is 123", "acct # 123", "SSN, 123".
_GLUE = r"(?:\s+(?:is|was|of|reads?|reading))?\s*[:#=,]{0,2}\s*(?:#\s*)?"

_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]{1,63}"
    r"(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b"
)

_URL = re.compile(r"(?<![\w@./-])(?:https?://|www\.)[^\s<>\"'()\[\]{}]{2,2000}", re.IGNORECASE)
# Bare domains such as "linkedin.com/in/someone"; limited to common TLDs so abbreviations
# like "e.g." or "b.i.d." stay untouched.
_BARE_DOMAIN = re.compile(
    r"(?<![\w@./-])(?:[A-Za-z0-9-]{1,63}\.){1,6}"
    r"(?:com|org|net|edu|gov|io|me|us|info|co|be|ly|app)\b(?:/[^\s<>\"'()\[\]{}]{0,2000})?"
)
_TRAILING_PUNCT = ".,;:!?'\""

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4 = re.compile(rf"(?<![\w.]){_OCTET}(?:\.{_OCTET}){{3}}(?!\w|\.\d)")
# Only a candidate: ``ipaddress`` has the final word, which rejects times like 14:30:00.
_IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")

_SSN_BARE = re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])")
_SSN_LABELLED = re.compile(
    r"(?i:\bSSN|\bSS\s?#|\bsocial\s+security(?:\s+(?:number|no\.?|num|#))?)"
    + _GLUE
    + r"(\d{3}[- ]?\d{2}[- ]?\d{4})(?![\w-])"
)

_MRN = re.compile(
    r"(?i:\bMRN|\bMR\s?#|\bMR\s+(?:number|no\.?)|\bmedical\s+record(?:\s+(?:number|no\.?|num|#))?"
    r"|\bmed\.?\s+rec(?:ord)?\.?(?:\s*(?:number|no\.?|#))?|\bchart\s+(?:number|no\.?|num|#)"
    r"|\bhospital\s+(?:number|no\.?|#))" + _GLUE + _VALUE
)

_ACCOUNT = re.compile(
    r"(?i:\b(?:account|acct)\b\.?(?:\s+(?:number|no\.?|num|#))?"
    r"|\bcredit\s+card(?:\s+(?:number|no\.?|#))?|\bcard\s+(?:number|no\.?|#))"
    + _GLUE
    + r"([A-Z0-9][A-Z0-9-]{2,24}[A-Z0-9]|\d{4}([ -])\d{4}\2\d{4}\2\d{4})(?![\w-])"
)
_CARD_BARE = re.compile(r"(?<![\w-])\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?![\w-])")

# Labels that identify a person on their own ("Medicaid ID", "passport number", "licence").
_ID_STRONG = (
    r"member|subscriber|beneficiary|medicaid|medicare|passport"
    r"|(?:driver'?s?\s+|nursing\s+|medical\s+|professional\s+|DEA\s+)?licen[cs]e(?!\s+plate)"
    r"|(?:birth\s+|death\s+|marriage\s+)?certificate|NPI|DEA"
)
# Labels that need an explicit "ID"/"number" after them: "policy number", "group #".
_ID_WEAK = r"insurance|policy|group|health\s+plan|plan|patient|employee|badge|student"
_ID = re.compile(
    rf"(?i:\b(?:{_ID_STRONG})(?:\s+(?:ID|identifier|number|no\.?|num|#))?"
    rf"|\b(?:{_ID_WEAK})\s+(?:ID|identifier|number|no\.?|num|#))" + _GLUE + _VALUE
)
# A bare "ID" label is case-sensitive so the "ID" (infectious disease) team is not a label.
_ID_BARE = re.compile(r"\b(?:ID|Id)(?:\s*#|\s+number)?" + _GLUE + _VALUE)

_DEVICE = re.compile(
    r"(?i:\bserial(?:\s+(?:number|no\.?|num|#))?|\bS/N|\bSN\b|\bUDI"
    r"|\bdevice\s+(?:ID|identifier|serial))" + _GLUE + r"(?:(?i:SN|S/N)\s*[:#]?\s*)?" + _VALUE
)

_PLATE = re.compile(
    r"(?i:\blicen[cs]e\s+plate(?:\s+(?:number|no\.?|num|#))?|\bplate\s+(?:number|no\.?|#)"
    r"|\btag\s+(?:number|no\.?|#)|\bplates?)"
    + _GLUE
    + r"([A-Z0-9]{1,4}[ -]?[A-Z0-9]{1,5})(?![\w-])"
)
_VIN = re.compile(r"\bVIN" + _GLUE + r"([A-HJ-NPR-Z0-9]{17})\b")

_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH"
    "|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR"
)
_STATE_NAMES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia"
    "|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts"
    "|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey"
    "|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania"
    "|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington"
    "|West Virginia|Wisconsin|Wyoming|Puerto Rico"
)
# Two-letter codes that are also everyday clinical abbreviations (OR, PA, MS, ID, ...) need a
# "City, " in front before the number after them is read as a ZIP code.
_AMBIGUOUS_STATES = frozenset(
    ("AL", "CO", "DE", "HI", "ID", "IN", "LA", "MA", "ME", "MD", "MI", "MS", "OH", "OK", "OR", "PA")
)
_ZIP_SHAPE = re.compile(r"(?<![\w-])\d{5}(?:-\d{4})?(?![\w-])")
_STATE_BEFORE = re.compile(rf"\b({_STATES}|{_STATE_NAMES})\.?,?\s+$")
_CITY_BEFORE = re.compile(r"[A-Za-z]\.?,\s*$")
_ZIP_LABELLED = re.compile(
    r"(?i:\bzip(?:\s*code)?|\bzipcode|\bpostal\s+code)" + _GLUE + r"(\d{5}(?:-\d{4})?)(?![\w-])"
)
_ZIP_WORD_AFTER = re.compile(r"\s+(?i:zip)")

_STREET_SUFFIX = (
    r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Court|Ct|Place|Pl|Way"
    r"|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Trail|Trl|Square|Sq|Alley|Row"
    r"|Crescent|Loop|Pike|Plaza"
)
_STREET_WORD = r"(?:[A-Z][a-z]{1,20}|\d{1,3}(?:st|nd|rd|th))"
_ADDRESS = re.compile(
    r"(?<![\w/.,-])\d{1,6}[A-Z]?\s+(?:(?:[NSEW]|North|South|East|West|NE|NW|SE|SW)\.?\s+)?"
    rf"{_STREET_WORD}(?:\s+{_STREET_WORD}){{0,3}}\s+(?:{_STREET_SUFFIX})\b"
    r"(?:,?\s+(?:Apt|Apartment|Unit|Suite|Ste|Rm|Floor|Fl|#)\.?\s*#?\s*[A-Z0-9-]{1,6}\b)?"
)
# A city directly after the street belongs to the address: "..., Springfield, IL".
_CITY_TAIL = re.compile(
    rf",\s*[A-Z][a-z]{{1,20}}(?:\s[A-Z][a-z]{{1,20}}){{0,2}}(?=,?\s+(?:{_STATES})\b)"
)
_PO_BOX = re.compile(r"\b(?:P\.?\s?O\.?\s+Box|Post\s+Office\s+Box)\s+\d{1,6}\b", re.IGNORECASE)


_TLDS = ("com", "org", "net", "edu", "gov", "io", "me", "us", "info", "co", "be", "ly", "app")
_MRN_LABELS = ("mrn", "mr", "medical", "med", "chart", "hospital")
_SSN_LABELS = ("ssn", "ss", "social")
_ACCOUNT_LABELS = ("account", "acct", "credit", "card")
_ID_LABELS = (
    "member", "subscriber", "beneficiary", "medicaid", "medicare", "passport", "driver",
    "nursing", "medical", "professional", "dea", "licen", "birth", "death", "marriage",
    "certificate", "npi", "insurance", "policy", "group", "health", "plan", "patient",
    "employee", "badge", "student",
)  # fmt: skip
_DEVICE_LABELS = ("serial", "s/n", "sn", "udi", "device")
_PLATE_LABELS = ("licen", "plate", "tag")


def _digits(value: str) -> int:
    return sum(ch.isdigit() for ch in value)


def _labelled(
    scan: Scan,
    pattern: re.Pattern[str],
    labels: tuple[str, ...],
    kind: str,
    suggestion: str,
    min_digits: int,
) -> Iterator[Candidate]:
    for m in scan.labelled(pattern, labels):
        value = m.group(1)
        if len(value) >= 5 and _digits(value) >= min_digits:
            yield Candidate(kind, m.start(1), m.end(1), suggestion, 5)


def _email_and_url(scan: Scan) -> Iterator[Candidate]:
    text, low = scan.text, scan.lower
    # Whole-text sweeps, but only when the tell-tale character or word is present at all.
    if "@" in text:
        for m in _EMAIL.finditer(text):
            yield Candidate("email", m.start(), m.end(), "[email]", 6)
    urls = list(scan.labelled(_URL, ("http", "www.")))
    if any(f".{tld}" in low for tld in _TLDS):
        urls.extend(_BARE_DOMAIN.finditer(text))
    for m in urls:
        end = m.end()
        while end > m.start() and text[end - 1] in _TRAILING_PUNCT:
            end -= 1
        yield Candidate("url", m.start(), end, "[URL]", 6)


def _ipv6(scan: Scan) -> Iterator[Candidate]:
    text = scan.text
    if "::" not in text and text.count(":") < 7:
        return
    for m in _IPV6.finditer(text):
        value = m.group()
        # Needs real hex groups: a bare "::" between words is punctuation, not an address.
        hex_digits = sum(ch in string.hexdigits for ch in value)
        if hex_digits < 3 or ("::" not in value and value.count(":") != 7):
            continue
        try:
            ipaddress.IPv6Address(value)
        except ValueError:
            continue
        yield Candidate("ip", m.start(), m.end(), "[IP address]", 4)


def _labelled_ids(scan: Scan) -> Iterator[Candidate]:
    for m in scan.labelled(_SSN_LABELLED, _SSN_LABELS):
        yield Candidate("ssn", m.start(1), m.end(1), "[SSN]", 5)
    yield from _labelled(scan, _MRN, _MRN_LABELS, "mrn", "[MRN]", 3)
    yield from _labelled(scan, _ACCOUNT, _ACCOUNT_LABELS, "account", "[account]", 4)
    yield from _labelled(scan, _ID, _ID_LABELS, "id", "[ID]", 3)
    for m in scan.labelled(_ID_BARE, ("ID", "Id"), case_sensitive=True):
        # "Boise, ID 83702" is Idaho followed by a ZIP code, not an identifier.
        if scan.ends_with(_CITY_BEFORE, m.start(), 30):
            continue
        value = m.group(1)
        if len(value) >= 5 and _digits(value) >= 3:
            yield Candidate("id", m.start(1), m.end(1), "[ID]", 5)
    yield from _labelled(scan, _DEVICE, _DEVICE_LABELS, "device", "[device serial]", 2)
    for m in scan.labelled(_PLATE, _PLATE_LABELS):
        value = m.group(1)
        alnum = sum(ch.isalnum() for ch in value)
        has_alpha = any(ch.isalpha() for ch in value)
        if 5 <= alnum <= 8 and has_alpha and _digits(value) >= 1:
            yield Candidate("plate", m.start(1), m.end(1), "[plate]", 5)
    for m in scan.labelled(_VIN, ("VIN",), case_sensitive=True):
        yield Candidate("plate", m.start(1), m.end(1), "[plate]", 5)
    for m in scan.labelled(_ZIP_LABELLED, ("zip", "postal")):
        yield Candidate("zip", m.start(1), m.end(1), "[ZIP]", 5)
    for m in scan.labelled(_PO_BOX, ("po", "p.o", "p o", "post")):
        yield Candidate("address", m.start(), m.end(), "[address]", 3)


def _zip(scan: Scan, m: re.Match[str]) -> Candidate | None:
    text = scan.text
    if _ZIP_WORD_AFTER.match(text, m.end()):
        return Candidate("zip", m.start(), m.end(), "[ZIP]", 5)
    state = scan.ends_with(_STATE_BEFORE, m.start())
    if state is None:
        return None
    if state.group(1) in _AMBIGUOUS_STATES and not scan.ends_with(_CITY_BEFORE, state.start(), 30):
        return None
    return Candidate("zip", m.start(), m.end(), "[ZIP]", 4)


def _numeric_shapes(scan: Scan) -> Iterator[Candidate]:
    text = scan.text
    for pos in scan.digit_starts():
        if m := _SSN_BARE.match(text, pos):
            yield Candidate("ssn", m.start(), m.end(), "[SSN]", 4)
        if m := _CARD_BARE.match(text, pos):
            yield Candidate("account", m.start(), m.end(), "[account]", 4)
        if m := _IPV4.match(text, pos):
            yield Candidate("ip", m.start(), m.end(), "[IP address]", 4)
        if (m := _ZIP_SHAPE.match(text, pos)) and (zip_code := _zip(scan, m)):
            yield zip_code
        if m := _ADDRESS.match(text, pos):
            end = m.end()
            if tail := _CITY_TAIL.match(text, end):
                end = tail.end()
            yield Candidate("address", m.start(), end, "[address]", 3)


def structured_candidates(scan: Scan) -> Iterator[Candidate]:
    """Yield hits for every label- or shape-driven kind except phones, dates and ages."""
    yield from _email_and_url(scan)
    yield from _ipv6(scan)
    yield from _labelled_ids(scan)
    yield from _numeric_shapes(scan)
