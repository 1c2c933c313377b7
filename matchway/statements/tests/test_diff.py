"""Pure renderers: word diffs, highlights, grouped findings and changes (no database)."""

from __future__ import annotations

from matchway.statements.diff import (
    Highlight,
    findings_view,
    grouped_changes,
    highlight,
    tokenize,
    word_diff,
)


def test_tokens_join_back_to_the_text() -> None:
    text = "It\u2019s a well-being <test>\n\n\tdone! \U0001f600 x_y"
    assert "".join(tokenize(text)) == text


def test_word_diff_marks_words_and_escapes_html() -> None:
    result = word_diff("I like <b>cats</b>.", "I love <b>cats</b> a lot.")
    html = str(result.html)
    assert "<del>like</del><ins>love</ins>" in html
    assert "&lt;b&gt;cats&lt;/b&gt;" in html
    assert "<b>" not in html
    assert (result.words_added, result.words_removed) == (3, 1)
    assert result.changes == 2
    assert result.changed
    punctuation = word_diff("A \u201cb\u201d.", 'A "b".')
    assert (punctuation.words_added, punctuation.words_removed) == (0, 0)
    assert punctuation.changes == 2
    assert punctuation.changed


def test_word_diff_of_equal_texts_and_removed_paragraph_break() -> None:
    assert not word_diff("Same text.", "Same text.").changed
    html = str(word_diff("One.\n\nTwo.", "One. Two.").html)
    assert '<del class="diff-ws"' in html
    assert "\u00b6" in html


def test_word_diff_handles_long_statements() -> None:
    # Speed is measured in bench/, not asserted here (timed tests flake on busy machines).
    before = " ".join(
        f"Patient {n} improved after we adjusted the diuretics and explained the plan."
        for n in range(350)
    )  # about 28,000 characters of distinct sentences, like a real statement
    after = before.replace("explained", "discussed", 40) + " A new ending."
    result = word_diff(before, after)
    assert result.words_added == 43
    assert result.words_removed == 40


def test_highlight_splits_overlaps_and_escapes() -> None:
    text = "Hello <world> again"
    html = str(
        highlight(
            text,
            [
                Highlight(0, 5, "a", "first <x>", "1", 1),
                Highlight(3, 12, "b", "second", "2", 2),
                Highlight(5, 5, "c", "empty", "3", 3),
                Highlight(10, 99, "d", "out of range", "4", 4),
            ],
        )
    )
    assert html == (
        '<mark class="a" id="mark-1" title="first &lt;x&gt;">Hel</mark>'
        '<mark class="b" id="mark-2" title="first &lt;x&gt; | second">lo</mark>'
        '<mark class="b" title="second"> &lt;world</mark>&gt; again'
    )
    assert str(highlight("<p>", [])) == "&lt;p&gt;"


def test_findings_view_groups_by_message_and_orders_by_severity() -> None:
    text = "A \u201cq\u201d and \u201cr\u201d. Passion for medicine."
    findings = [
        {"kind": "smart_quote", "severity": "warning", "start": 2, "end": 3, "message": "Curly",
         "suggestion": "Straight"},
        {"kind": "smart_quote", "severity": "warning", "start": 8, "end": 9, "message": "Curly",
         "suggestion": "Straight"},
        {"kind": "phi", "severity": "error", "start": 14, "end": 21, "message": "PHI",
         "suggestion": "Remove"},
        {"kind": "no_usce_mention", "severity": "warning", "start": 0, "end": 0, "message": "USCE",
         "suggestion": "Mention it"},
    ]  # fmt: skip
    view = findings_view(text, findings)
    assert [g.kind for g in view.groups] == ["phi", "no_usce_mention", "smart_quote"]
    assert view.groups[2].count == 2
    assert view.groups[2].in_text
    assert not view.groups[1].in_text
    assert view.counts == {"error": 1, "warning": 3, "info": 0}
    assert 'class="finding finding-error" id="finding-2"' in str(view.html)


def test_grouped_changes_counts_and_keeps_examples() -> None:
    changes = [
        {"before": "\u2019", "before_label": "\u2019", "after": "'", "reason": "smart_quote",
         "context_before": "It", "context_after": "s"},
    ] * 5 + [
        {"before": "\u00a0", "before_label": "no-break space", "after": " ", "after_label": "space",
         "reason": "nbsp", "context_before": "a", "context_after": "b"},
    ]  # fmt: skip
    groups = grouped_changes(changes)
    assert [(g.before, g.after, g.count) for g in groups] == [
        ("\u2019", "'", 5),
        ("no-break space", "space", 1),
    ]
    assert len(groups[0].examples) == 3


def test_findings_are_shown_beside_the_marked_text() -> None:
    """Issue #17: each finding's first place carries its message next to the words, and
    the mark is focusable and points at it; repeated findings are not noted again."""
    text = "Dr. Who said “hi” and “bye”."
    findings = [
        {"kind": "smart_quote", "severity": "info", "start": 12, "end": 13, "message": "Curly"},
        {"kind": "smart_quote", "severity": "info", "start": 22, "end": 23, "message": "Curly"},
        {"kind": "cliche", "severity": "warning", "start": 0, "end": 7, "message": "Say <more>"},
    ]
    html = str(findings_view(text, findings).html)
    assert html.count('class="finding-note') == 2
    assert 'role="note" id="finding-note-2">Say &lt;more&gt;</span>' in html
    assert 'tabindex="0" aria-describedby="finding-note-2"' in html
    assert 'aria-describedby="finding-note-1"' not in html
