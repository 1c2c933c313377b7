"""The shared Markdown pipeline (rotation descriptions; guides build on it)."""

from __future__ import annotations

import pytest

from matchway.core.markdown import (
    SanitizePolicy,
    html_plain_text,
    markdown_excerpt,
    markdown_parser,
    markdown_to_html,
    sanitize_html,
)


@pytest.mark.parametrize(
    ("source", "must_not_contain"),
    [
        ("<script>alert(1)</script>", "<script"),
        ("[x](javascript:alert(1))", 'href="javascript'),
        ('<a href="http://x" onclick="y()">x</a>', '"y()">'),
        ("![img](http://evil/x.png)", "<img"),
        ("<iframe src=//evil></iframe>", "<iframe"),
        ('<div style="background:url(x)">x</div>', "<div"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", 'href="data:'),
    ],
)
def test_markdown_is_sanitized(source: str, must_not_contain: str) -> None:
    assert must_not_contain not in markdown_to_html(source)


def test_markdown_keeps_formatting_and_marks_links() -> None:
    html = markdown_to_html(
        "# Title\n\n- **a**\n- [site](https://example.org)\n\n| x |\n|---|\n| 1 |"
    )
    assert "<h2>Title</h2>" in html
    assert "<strong>a</strong>" in html
    assert 'rel="noopener noreferrer"' in html
    assert "<table>" in html


def test_markdown_excerpt_is_plain_text() -> None:
    assert markdown_excerpt("# Hi\n\n**Bold** words " * 20, 40).endswith("…")
    assert "<" not in markdown_excerpt("<b>x</b> **y**")
    assert markdown_to_html("   ") == ""


def test_raw_html_is_text_by_default_and_dropped_with_content() -> None:
    assert "&lt;b&gt;" in markdown_to_html("<b>x</b>")
    html = sanitize_html(markdown_parser(allow_html=True).render("<script>alert(1)</script>y"))
    assert "alert" not in html


def test_refused_link_keeps_its_text_not_the_markdown() -> None:
    html = markdown_to_html("[click](javascript:alert(1))")
    assert "click" in html and "](" not in html and "javascript" not in html


def test_a_wider_policy_keeps_more_but_never_handlers() -> None:
    policy = SanitizePolicy(
        tags=frozenset({"img", "p"}), attributes={"img": frozenset({"src", "alt"})}
    )
    html = sanitize_html('<img src="https://x.example/a.png" alt="a" onerror="x()">', policy)
    assert html == '<img src="https://x.example/a.png" alt="a">'
    assert "<img" not in markdown_to_html("![a](https://x.example/a.png)")


def test_plain_text_separates_blocks_and_unescapes() -> None:
    assert html_plain_text("<p>a &amp; b</p><p>c</p>") == "a & b c"
