"""Policy pages through the shared Markdown pipeline (`matchway.core.markdown`), configured
as guides use it: raw HTML an author types is parsed, then the sanitizer drops whatever is
not on the allow-list (scripts with their content, event handlers, `javascript:` links)."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

from matchway.core.markdown import markdown_parser, sanitize_html, shift_headings

_PARSER = markdown_parser(allow_html=True, rules=[shift_headings])


def policy_to_html(text: str) -> SafeString:
    if not text or not text.strip():
        return mark_safe("")
    return mark_safe(sanitize_html(_PARSER.render(text)))  # sanitized just now
