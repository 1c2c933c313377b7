from __future__ import annotations

import json
import logging
import os
from typing import Any

import pytest

from matchway.guides.rendering import UNKNOWN_MARKER, content_hash, render_markdown, sanitize

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    "<a href=\"javascript:alert('x')\">click</a>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "<a href='jav&#x09;ascript:alert(1)'>tab</a>",
    '<iframe src="https://evil.example"></iframe>',
    '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    "<svg><a xlink:href='javascript:alert(1)'><text>x</text></a></svg>",
    "<style>body { display: none }</style>",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "![pixel](data:image/png;base64,iVBORw0KGgo=)",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="data:text/html,<script>alert(1)</script>">d</a>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="https://evil.example"><input name="q"><button>go</button></form>',
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '<div onmouseover="alert(1)">hover</div>',
    "<base href='https://evil.example/'>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "<!-- <script>alert(1)</script> -->",
]
FORBIDDEN = ("<script", "onerror", "onload", "onmouseover", "javascript:", "<iframe", "<svg",
             "<style", "style=", "data:", "<object", "<embed", "<form", "<base", "<meta",
             "<math", "<!--")  # fmt: skip


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_dangerous_markup_is_removed(payload: str) -> None:
    html = render_markdown(f"Before.\n\n{payload}\n\nAfter **bold**.\n").html.lower()
    for needle in FORBIDDEN:
        assert needle not in html, (payload, html)
    assert "<strong>bold</strong>" in html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_inline_payloads_are_removed_too(payload: str) -> None:
    html = render_markdown(f"Text {payload} and more text.").html.lower()
    for needle in FORBIDDEN:
        assert needle not in html, (payload, html)


def test_script_and_style_content_is_dropped_not_shown() -> None:
    html = render_markdown("<script>alert('boom')</script>\n\n<style>.x{}</style>\n\nok").html
    assert "boom" not in html
    assert ".x{}" not in html


def test_forced_inputs_are_always_disabled_checkboxes() -> None:
    html = render_markdown('<input type="text" value="steal" onfocus="x()" autofocus>').html
    assert 'type="checkbox"' in html
    assert "disabled" in html
    assert "steal" not in html
    assert "onfocus" not in html
    assert "autofocus" not in html


def test_normal_markdown_survives() -> None:
    source = """Intro with *emphasis*, `code` and ~~old~~ text.

## A section

1. first
2. second

- bullet with a [link](https://www.nrmp.org/) and [internal](/guides/soap-for-imgs/)

> a quote

| Fee | Amount |
|-----|-------:|
| ERAS | 11 |

```
fenced code <b>
```
"""
    html = render_markdown(source).html
    assert "<em>emphasis</em>" in html
    assert "<code>code</code>" in html
    assert "<s>old</s>" in html
    assert '<h2 id="a-section">A section</h2>' in html
    assert "<ol>" in html
    assert "<li>first</li>" in html
    assert '<a href="https://www.nrmp.org/" rel="noopener noreferrer">link</a>' in html
    assert '<a href="/guides/soap-for-imgs/" rel="noopener noreferrer">internal</a>' in html
    assert "<blockquote>" in html
    assert "<table>" in html
    assert "<th>Fee</th>" in html
    assert "<td>ERAS</td>" in html
    assert "fenced code &lt;b&gt;" in html


def test_task_lists_become_labelled_disabled_checkboxes() -> None:
    html = render_markdown("- [ ] to do\n- [x] done\n- plain item\n").html
    assert '<ul class="contains-task-list">' in html
    assert html.count('class="task-list-item"') == 2
    assert html.count('type="checkbox"') == 2
    assert html.count("checked") == 1
    assert "[ ]" not in html
    assert "[x]" not in html
    assert "<label>" in html
    assert "to do</label>" in html
    assert "<li>plain item</li>" in html


def test_headings_get_unique_ids_and_a_toc() -> None:
    rendered = render_markdown(
        "# Demoted\n\n## Why & how\n\n### Detail\n\n## Why & how\n\n#### Deep\n"
    )
    assert "<h1" not in rendered.html
    assert '<h2 id="demoted">Demoted</h2>' in rendered.html
    assert '<h2 id="why-how">Why &amp; how</h2>' in rendered.html
    assert '<h2 id="why-how-2">' in rendered.html
    assert '<h4 id="deep">' in rendered.html
    assert [(e["level"], e["id"], e["text"]) for e in rendered.toc] == [
        (2, "demoted", "Demoted"),
        (2, "why-how", "Why & how"),
        (3, "detail", "Detail"),
        (2, "why-how-2", "Why & how"),
    ]


def test_author_ids_cannot_clobber_the_page() -> None:
    html = render_markdown('<h2 id="main">Hijack</h2>\n\n<p id="csrf" class="x">p</p>').html
    assert 'id="main"' not in html
    assert 'id="csrf"' not in html
    assert 'class="x"' not in html


def test_season_facts_are_filled_in_and_listed() -> None:
    rendered = render_markdown(
        "Up to {{eras.personal_statement.max_chars}} characters and "
        "{{ eras.letters_of_recommendation.max_per_program }} letters; again "
        "{{eras.personal_statement.max_chars}}."
    )
    assert "Up to 28,000 characters and 4 letters; again 28,000." in rendered.html
    assert [f["path"] for f in rendered.facts] == [
        "personal_statement.max_chars",
        "letters_of_recommendation.max_per_program",
    ]
    assert rendered.seasons == ["current AAMC page (undated, ~2025)"]
    assert rendered.unknown == []


def test_unknown_fact_shows_a_marker_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="matchway.guides.rendering"):
        rendered = render_markdown("Limit: {{eras.no.such.fact}}; meta: {{eras._meta.note}}.")
    assert rendered.html.count(UNKNOWN_MARKER) == 2
    assert 'class="fact-unknown"' in rendered.html
    assert rendered.unknown == ["no.such.fact", "_meta.note"]
    assert "eras.no.such.fact" in caplog.text


def test_fact_without_a_usable_value_is_unknown() -> None:
    # eras_2027_schedule has value null (unconfirmed): never print "None".
    html = render_markdown("{{eras.eras_residency_fees.eras_2027_schedule}}").html
    assert UNKNOWN_MARKER in html
    assert "None" not in html


def test_fact_values_are_escaped(eras_copy: Any) -> None:
    data = json.loads(eras_copy.read_text())
    payload = "<img src=x onerror=alert(1)> *x* [a](b)"
    data["experiences"]["description_max_chars"]["value"] = payload
    eras_copy.write_text(json.dumps(data))
    html = render_markdown("Value: {{eras.experiences.description_max_chars}}").html
    assert "&lt;img src=x onerror=alert(1)&gt; *x* [a](b)" in html
    assert "<img" not in html
    assert "<em>" not in html
    assert "<a " not in html


def test_missing_data_file_never_raises(eras_copy: Any) -> None:
    eras_copy.unlink()
    rendered = render_markdown("Limit {{eras.personal_statement.max_chars}}.")
    assert UNKNOWN_MARKER in rendered.html


def test_content_hash_follows_body_and_data_file(eras_copy: Any) -> None:
    before = content_hash("body")
    assert content_hash("body") == before
    assert content_hash("other body") != before
    stat = eras_copy.stat()
    os.utime(eras_copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert content_hash("body") != before


def test_sanitize_adds_rel_to_every_link() -> None:
    assert sanitize('<a href="https://x.example" rel="opener" target="_blank">x</a>') == (
        '<a href="https://x.example" rel="noopener noreferrer">x</a>'
    )
