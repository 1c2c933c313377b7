"""How the applicant's message greets the writer: "Dear Dr. Raman", never "Dear Dr. Dr.
Raman" or "Dear Priya Raman, MD". Pure: names in, greeting out."""

from __future__ import annotations

import re

# Titles people put in front of a name; "Dr." and "Prof." say how to greet.
_PREFIXES = {"dr": "Dr.", "doctor": "Dr.", "prof": "Professor", "professor": "Professor"}
_OTHER_PREFIXES = frozenset({"mr", "mrs", "ms", "mx", "miss"})
# Degrees that make someone "Dr." in a US letter (MBBS/MBChB are the medical degrees of
# many of our writers' countries; in the US they are addressed as doctors too).
_DOCTORAL = frozenset({"md", "do", "mbbs", "mbchb", "mbbch", "phd", "dnp", "pharmd", "dpm", "dds"})
_CREDENTIAL_RE = re.compile(r"^[A-Z][A-Za-z.]{1,7}$")
# Family-name particles that belong with the surname: "Dr. van der Berg".
_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "da", "di", "la", "le", "al", "bin", "ibn"}
)


def _degree(word: str) -> str:
    return word.replace(".", "").lower()


def writer_salutation(name: str, title: str = "") -> str:
    """The name after "Dear": "Dr. Raman" for a physician, the full name otherwise.

    `name` may carry a title in front ("Dr. Priya Raman") or degrees after a comma ("Priya
    Raman, MD"); `title` is the ERAS "title and department" ("MD, Internal Medicine").
    """
    head, _, tail = " ".join(name.split()).partition(",")
    words = head.split()
    greeting = ""
    while words and _degree(words[0]) in (_PREFIXES.keys() | _OTHER_PREFIXES):
        prefix = _PREFIXES.get(_degree(words.pop(0)), "")
        greeting = greeting or prefix
    # Degrees typed without a comma: "Priya Raman MD".
    degrees = {_degree(w) for w in re.split(r"[\s,]+", tail + " " + title) if w}
    while len(words) > 1 and _degree(words[-1]) in _DOCTORAL and _CREDENTIAL_RE.match(words[-1]):
        degrees.add(_degree(words.pop()))
    if not words:
        return " ".join(name.split())
    if not greeting and degrees & _DOCTORAL:
        greeting = "Dr."
    if not greeting:
        return " ".join(words)
    surname = [words[-1]]
    for word in reversed(words[:-1]):
        if word.lower() not in _PARTICLES:
            break
        surname.insert(0, word)
    return f"{greeting} {' '.join(surname)}"
