"""Markdown → sanitized HTML for rotation descriptions (coordinator-written text).

markdown-it-py renders CommonMark with raw HTML disabled; nh3 then keeps only an
allow-list of tags, attributes and URL schemes. Sanitizing after rendering is the
belt-and-braces step: a Markdown quirk can never smuggle a script or a `javascript:` link.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)


def _shift_headings(html: str) -> str:
    # Descriptions sit inside a page that already has an <h1>: an author's "# Heading"
    # becomes <h2> so the document outline stays valid.
    for level in range(5, 0, -1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(
            f"</h{level}>", f"</h{level + 1}>"
        )
    return html


def markdown_to_html(text: str) -> SafeString:
    """Render `text` as sanitized HTML. Safe to output unescaped in templates."""
    if not text or not text.strip():
        return mark_safe("")
    rendered = _shift_headings(_md.render(text))
    cleaned = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(cleaned)


def markdown_excerpt(text: str, length: int = 220) -> str:
    """Plain-text summary of a Markdown body (meta descriptions, catalog cards)."""
    plain = nh3.clean(_md.render(text or ""), tags=set())
    plain = " ".join(plain.split())
    if len(plain) <= length:
        return plain
    return plain[: length - 1].rsplit(" ", 1)[0] + "…"
