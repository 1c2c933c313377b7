"""ERAS plain-text safety: characters that word processors add and plain text garbles.

ERAS stores the statement as plain text, so curly quotes, long dashes, non-breaking
spaces and emoji pasted from a word processor can reach programs as mojibake. This
module finds them, rewrites them to ASCII (``normalize_plain_text``) and builds a
same-length "view" of the text that the word-level checks read, so their offsets stay
valid in the original.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from .types import INFO, WARNING, Finding, NormalizationChange

_EMOJI_BASE = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff"
# Modifiers that belong to the emoji before them: variation selectors, skin tones,
# the keycap mark and tag characters (used by flag sequences).
_EMOJI_MOD = "\ufe0e\ufe0f\U0001f3fb-\U0001f3ff\u20e3\U000e0020-\U000e007f"
_EMOJI = f"[{_EMOJI_BASE}][{_EMOJI_MOD}]*(?:\u200d[{_EMOJI_BASE}][{_EMOJI_MOD}]*)*"
_EMOJI_RE = re.compile(_EMOJI)
# Emoji first so a whole ZWJ sequence is one match; then any single non-ASCII char or tab.
_SPECIAL_RE = re.compile(f"(?P<emoji>{_EMOJI})|[^\\x00-\\x08\\x0a-\\x7f]")


@dataclass(frozen=True, slots=True)
class _Rule:
    after: str  # ASCII replacement used by normalize_plain_text
    kind: str  # finding kind
    reason: str  # NormalizationChange.reason (more precise than kind)
    label: str  # plain-words name of the character


def _rules() -> dict[str, _Rule]:
    table: dict[str, _Rule] = {}

    def add(chars: str, after: str, kind: str, reason: str, label: str) -> None:
        for ch in chars:
            table[ch] = _Rule(after, kind, reason, label)

    add(
        "\u2018\u2019\u201a\u201b\u2032\u2039\u203a",
        "'",
        "smart_quote",
        "smart_quote",
        "curly quote",
    )
    add(
        "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb",
        '"',
        "smart_quote",
        "smart_quote",
        "curly quote",
    )
    add("\u2013\u2012\u2212", "-", "long_dash", "long_dash", "en dash")
    add("\u2014\u2015", "--", "long_dash", "long_dash", "em dash")
    add("\u2010\u2011", "-", "non_ascii", "hyphen", "Unicode hyphen")
    add("\u00a0\u202f\u2007", " ", "nbsp", "nbsp", "non-breaking space")
    add("\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000", " ",
        "non_ascii", "unicode_space", "special-width space")  # fmt: skip
    add("\t", " ", "tab", "tab", "tab")
    add("\u2026", "...", "non_ascii", "ellipsis", "ellipsis character")
    add("\u200b\u200c\u200d\u2060\ufeff\u00ad\ufe0e\ufe0f", "", "non_ascii", "zero_width",
        "invisible zero-width character")  # fmt: skip
    add("\u2022\u2023\u25e6\u2043\u25aa\u25cf", "-", "non_ascii", "bullet", "bullet symbol")
    add("\u2028\u2029", "\n", "non_ascii", "line_separator", "Unicode line separator")
    return table


_RULES = _rules()
_EMOJI_RULE = _Rule("", "emoji", "emoji", "emoji")

_MESSAGES: dict[str, tuple[str, str, str]] = {
    # kind: (severity, message, suggestion template; {after} is the ASCII replacement)
    "smart_quote": (
        WARNING,
        "Curly quote from a word processor; ERAS plain text can show it as a garbled symbol.",
        "Type a straight quote instead: {after}",
    ),
    "long_dash": (
        WARNING,
        "En/em dash; it can turn into a garbled symbol in ERAS plain text.",
        "Use {after} (or rewrite the sentence with a comma).",
    ),
    "nbsp": (
        WARNING,
        "Non-breaking space: invisible here, but it can appear as a stray symbol in ERAS.",
        "Replace it with a normal space.",
    ),
    "tab": (
        INFO,
        "Tab character: plain text drops indentation, so spacing will look uneven.",
        "Use a single space; separate paragraphs with a blank line instead of indenting.",
    ),
    "emoji": (
        WARNING,
        "Emoji do not display in ERAS and read as unprofessional in a statement.",
        "Delete it and say the feeling in words if it matters.",
    ),
    "non_ascii": (
        WARNING,
        "{label} is not plain ASCII and may show up garbled in ERAS.",
        "{suggest}",
    ),
}


@dataclass(frozen=True, slots=True)
class _Special:
    start: int
    end: int
    rule: _Rule


def _ascii_fold(ch: str) -> str:
    """'é' -> 'e'; '' when the character has no ASCII base form."""
    return unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii")


def _iter_specials(text: str) -> Iterator[_Special]:
    if text.isascii() and "\t" not in text:
        return
    for m in _SPECIAL_RE.finditer(text):
        if m.group("emoji") is not None:
            yield _Special(m.start(), m.end(), _EMOJI_RULE)
            continue
        ch = m.group()
        rule = _RULES.get(ch)
        if rule is None:
            if ch == "\u20e3":  # a stray keycap mark is the tail of an emoji
                rule = _EMOJI_RULE
            else:
                folded = _ascii_fold(ch)
                name = unicodedata.name(ch, "unknown character").lower()
                rule = _Rule(folded, "non_ascii", "other", f"'{ch}' ({name})")
        yield _Special(m.start(), m.end(), rule)


def normalize_plain_text(text: str) -> tuple[str, list[NormalizationChange]]:
    """Rewrite the text so it survives ERAS plain text unchanged.

    Curly quotes become straight quotes, en/em dashes become ``-``/``--``, non-breaking
    and other special spaces and tabs become a space, the ellipsis character becomes
    ``...``, zero-width characters and emoji are removed. Accented letters are kept:
    changing someone's name is the author's call, so they are only reported by
    ``analyze``. Change offsets refer to the ORIGINAL text.
    """
    changes: list[NormalizationChange] = []
    out: list[str] = []
    pos = 0
    for sp in _iter_specials(text):
        rule = sp.rule
        if rule.reason == "other":
            continue
        start = sp.start
        if rule is _EMOJI_RULE:
            # Drop the space before the emoji too, otherwise "great 😊." becomes "great ."
            nxt = text[sp.end : sp.end + 1]
            if start > pos and text[start - 1] == " " and (not nxt or nxt in " \n.,!?;:)"):
                start -= 1
        out.append(text[pos:start])
        out.append(rule.after)
        changes.append(
            NormalizationChange(start, sp.end, text[start : sp.end], rule.after, rule.reason)
        )
        pos = sp.end
    if not changes:
        return text, []
    out.append(text[pos:])
    return "".join(out), changes


def plain_text_findings(text: str) -> list[Finding]:
    """One finding per run of adjacent identical problem characters."""
    findings: list[Finding] = []
    run: list[_Special] = []

    def flush() -> None:
        if not run:
            return
        first, last = run[0], run[-1]
        rule = first.rule
        severity, message, suggestion = _MESSAGES[rule.kind]
        after = "".join(s.rule.after for s in run)
        if rule.kind == "non_ascii":
            label = rule.label[0].upper() + rule.label[1:]
            message = message.format(label=label)
            if rule.reason == "zero_width":
                suggest = "Delete it (it is invisible but still counts as a character)."
            elif after.strip():
                suggest = f"Use plain ASCII instead: {after.strip()}"
            else:
                suggest = "Replace it with plain ASCII letters or words."
            suggestion = suggestion.format(suggest=suggest)
        else:
            suggestion = suggestion.format(after=after or rule.after)
        findings.append(Finding(rule.kind, severity, first.start, last.end, message, suggestion))
        run.clear()

    for sp in _iter_specials(text):
        if run and (run[-1].end != sp.start or run[-1].rule.label != sp.rule.label):
            flush()
        run.append(sp)
    flush()
    return findings


def _view_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for ch, rule in _RULES.items():
        # Exactly one character per character keeps every offset valid in the original.
        table[ord(ch)] = rule.after[:1] if rule.after else " "
    return table


_VIEW_TABLE = _view_table()


def analysis_view(text: str) -> str:
    """Same-length ASCII-ish copy of ``text`` for the word-level checks.

    A curly apostrophe becomes ``'``, dashes become ``-``, odd spaces and emoji become
    spaces, so "don\u2019t" tokenises like "don't" and the spell checker sees clean words;
    every index still points at the same character of the original.
    """
    if text.isascii() and "\t" not in text:
        return text
    view = text.translate(_VIEW_TABLE)
    return _EMOJI_RE.sub(lambda m: " " * len(m.group()), view)
