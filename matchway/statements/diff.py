"""Pure renderers for statement text: word-level version diffs and in-place highlights.

Both return HTML built only from escaped text plus our own tags (`<ins>`, `<del>`,
`<mark>`, `<span>`), so the result is safe to insert into a template. Neither touches the
database; `views.py` feeds them bodies, findings and comment anchors.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# A word keeps inner apostrophes and hyphens ("don't", "well-being"); whitespace runs and
# single punctuation marks are tokens of their own, so a changed comma is a small change.
_TOKEN = re.compile(r"\s+|\w+(?:['\u2019\-]\w+)*|[^\w\s]", re.UNICODE)
SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}


def tokenize(text: str) -> list[str]:
    # Every character is whitespace, a word character or something else, so the tokens
    # always join back to exactly the original text.
    return _TOKEN.findall(text)


@dataclass(frozen=True)
class DiffResult:
    html: SafeString
    words_added: int
    words_removed: int
    changes: int = 0  # changed places, including punctuation and spacing

    @property
    def changed(self) -> bool:
        return bool(self.changes or self.words_added or self.words_removed)


def _count_words(tokens: Sequence[str]) -> int:
    return sum(1 for t in tokens if t[:1].isalnum() or t[:1] == "_")


def _removed_ws(chunk: str) -> str:
    # A removed line break or space is invisible; show a marker so the change can be seen.
    marker = "¶" if "\n" in chunk else "·"
    return f'<del class="diff-ws" title="{escape(repr(chunk))}">{marker}</del>'


_CUT = re.compile(r"[.!?]+[\"')\]]*\s+|\n+")
# Above this many tokens in one changed block, difflib's autojunk heuristic is worth its
# coarser result: without it the matcher is quadratic in the repeated tokens.
_EXACT_TOKENS = 1500


def _diff_pieces(text: str) -> list[str]:
    """Sentence-sized pieces (each keeps its trailing space/newline); they join back."""
    pieces: list[str] = []
    pos = 0
    for cut in _CUT.finditer(text):
        pieces.append(text[pos : cut.end()])
        pos = cut.end()
    if pos < len(text):
        pieces.append(text[pos:])
    return pieces


def _word_ops(old: str, new: str, out: list[str]) -> tuple[int, int, int]:
    a, b = tokenize(old), tokenize(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=len(a) + len(b) > _EXACT_TOKENS)
    added = removed = places = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            out.append(escape(before))
            continue
        places += 1
        if op in ("delete", "replace"):
            removed += _count_words(a[i1:i2])
            out.append(f"<del>{escape(before)}</del>" if before.strip() else _removed_ws(before))
        if op in ("insert", "replace"):
            added += _count_words(b[j1:j2])
            css = "" if after.strip() else ' class="diff-ws"'
            out.append(f"<ins{css}>{escape(after)}</ins>")
    return added, removed, places


def word_diff(before: str, after: str) -> DiffResult:
    """Readable word-level diff of two versions as HTML with `<ins>`/`<del>`.

    Two passes keep it fast on 28,000-character statements: sentences are matched first
    (they are nearly unique, so difflib is quick), then only the changed sentences are
    compared word by word. `autojunk` is off inside a block: with it, difflib treats
    frequent tokens (spaces, "the") as junk and the diff degrades into whole-sentence
    replacements.
    """
    a, b = _diff_pieces(before), _diff_pieces(after)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out: list[str] = []
    added = removed = places = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op == "replace" and i2 - i1 == j2 - j1:
            # Sentences edited in place: compare them pair by pair (small, fast, readable).
            pairs = [(a[i], b[j]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
        else:
            pairs = [("".join(a[i1:i2]), "".join(b[j1:j2]))]
        for old, new in pairs:
            plus, minus, where = _word_ops(old, new, out)
            added += plus
            removed += minus
            places += where
    # Every piece above is escaped text or one of our fixed tags.
    return DiffResult(mark_safe("".join(out)), added, removed, places)


@dataclass(frozen=True)
class Highlight:
    """A text range to mark: `css` names its look, `label` is shown on hover and read out."""

    start: int
    end: int
    css: str
    label: str
    ident: str
    rank: int = 0
    # Shown beside the text (a side note at desktop width, on focus or tap on a phone).
    note: str = ""
    note_css: str = ""


def highlight(text: str, spans: Iterable[Highlight], *, id_prefix: str = "mark") -> SafeString:
    """Wrap each span of `text` in `<mark>`; overlapping spans are split into flat segments.

    A segment covered by several spans gets the class of the highest-ranked one and all
    their labels. The first segment of each span carries `id="<prefix>-<ident>"` so a list
    can link to the place in the text. Empty or out-of-range spans are skipped.
    """
    size = len(text)
    usable = [s for s in spans if 0 <= s.start < s.end <= size]
    if not usable:
        return mark_safe(escape(text))
    bounds = sorted({0, size, *(s.start for s in usable), *(s.end for s in usable)})
    starts: dict[int, list[Highlight]] = {}
    for span in usable:
        starts.setdefault(span.start, []).append(span)
    active: list[Highlight] = []
    out: list[str] = []
    for left, right in itertools.pairwise(bounds):
        active = [s for s in active if s.end > left]
        new = starts.get(left, [])
        active.extend(new)
        chunk = escape(text[left:right])
        if not active:
            out.append(chunk)
            continue
        top = max(active, key=lambda s: s.rank)
        labels = " | ".join(dict.fromkeys(s.label for s in active))
        anchors = [f"{id_prefix}-{escape(s.ident)}" for s in new]
        id_attr = f' id="{anchors[0]}"' if anchors else ""
        extra = "".join(f'<span id="{a}"></span>' for a in anchors[1:])
        noted = [s for s in new if s.note]
        note_ids = " ".join(f"{id_prefix}-note-{escape(s.ident)}" for s in noted)
        focus = f' tabindex="0" aria-describedby="{note_ids}"' if noted else ""
        out.append(
            f'{extra}<mark class="{escape(top.css)}"{id_attr}{focus} title="{escape(labels)}">'
        )
        out.append(f"{chunk}</mark>")
        for span in noted:
            out.append(
                f'<span class="finding-note {escape(span.note_css)}" role="note" '
                f'id="{id_prefix}-note-{escape(span.ident)}">{escape(span.note)}</span>'
            )
    return mark_safe("".join(out))


# --- presentation helpers (pure: plain data in, template-ready data out) -----------------

SEVERITY_ORDER = ("error", "warning", "info")
# Findings of these kinds disappear after one-click normalization.
PLAIN_TEXT_KINDS = frozenset({"smart_quote", "long_dash", "nbsp", "tab", "emoji", "non_ascii"})


@dataclass
class FindingGroup:
    """Findings with the same kind and message, e.g. all 34 curly quotes together."""

    kind: str
    severity: str
    message: str
    suggestion: str
    items: list[dict[str, object]]

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def in_text(self) -> bool:
        return any(item["start"] != item["end"] for item in self.items)


@dataclass
class FindingsView:
    html: SafeString
    groups: list[FindingGroup]
    counts: dict[str, int]
    total: int


def _excerpt(text: str, start: int, end: int, limit: int = 80) -> str:
    piece = " ".join(text[start:end].split())
    return piece if len(piece) <= limit else piece[: limit - 1] + "…"


def findings_view(text: str, findings: Sequence[dict[str, object]]) -> FindingsView:
    """Group the analyser's findings for the list and mark them in the text.

    Whole-text findings (start == end, e.g. "no US clinical experience mentioned") appear in
    the list only. Groups are ordered by severity, then by first position.
    """
    spans: list[Highlight] = []
    noted: set[tuple[str, str, str]] = set()
    groups: dict[tuple[str, str, str], FindingGroup] = {}
    counts = dict.fromkeys(SEVERITY_ORDER, 0)
    for index, raw in enumerate(findings):
        severity = str(raw.get("severity", "info"))
        severity = severity if severity in SEVERITY_RANK else "info"
        start, end = int(str(raw.get("start", 0))), int(str(raw.get("end", 0)))
        kind, message = str(raw.get("kind", "")), str(raw.get("message", ""))
        suggestion = str(raw.get("suggestion", ""))
        counts[severity] += 1
        item: dict[str, object] = {
            "id": index,
            "start": start,
            "end": end,
            "excerpt": _excerpt(text, start, end) if end > start else "",
        }
        key = (kind, severity, message)
        if key not in groups:
            groups[key] = FindingGroup(kind, severity, message, suggestion, [])
        groups[key].items.append(item)
        if end > start:
            label = f"{message} {suggestion}".strip()
            # The first place of each group carries the finding beside the text; the rest
            # (34 curly quotes) are marked and labelled but not repeated as notes.
            first = key not in noted
            noted.add(key)
            spans.append(
                Highlight(
                    start,
                    end,
                    f"finding finding-{severity}",
                    label,
                    str(index),
                    SEVERITY_RANK[severity],
                    note=message if first else "",
                    note_css=f"finding-note-{severity}",
                )
            )
    ordered = sorted(
        groups.values(),
        key=lambda g: (SEVERITY_ORDER.index(g.severity), int(str(g.items[0]["start"]))),
    )
    return FindingsView(
        html=highlight(text, spans, id_prefix="finding"),
        groups=ordered,
        counts=counts,
        total=len(findings),
    )


@dataclass
class ChangeGroup:
    before: str
    after: str
    reason: str
    count: int
    examples: list[dict[str, str]]


def grouped_changes(changes: Sequence[dict[str, str]], *, examples: int = 3) -> list[ChangeGroup]:
    """Normalization changes grouped by what was replaced, with a few examples in context."""
    groups: dict[tuple[str, str, str], ChangeGroup] = {}
    for change in changes:
        before = change.get("before_label") or change.get("before", "")
        after = change.get("after_label") or change.get("after", "")
        key = (before, after, change.get("reason", ""))
        group = groups.get(key)
        if group is None:
            group = groups[key] = ChangeGroup(before, after, key[2], 0, [])
        group.count += 1
        if len(group.examples) < examples:
            group.examples.append(
                {
                    "context_before": " ".join(change.get("context_before", "").split()),
                    "before": change.get("before", ""),
                    "after": change.get("after", ""),
                    "context_after": " ".join(change.get("context_after", "").split()),
                }
            )
    return sorted(groups.values(), key=lambda g: -g.count)


def comment_spans(
    anchors: Iterable[tuple[int | None, int | None, int, str]],
) -> list[Highlight]:
    """Highlights for comments given as (start, end, id, label); unanchored ones skipped."""
    return [
        Highlight(start, end, "comment-mark", label, str(ident), 1)
        for start, end, ident, label in anchors
        if start is not None and end is not None
    ]
