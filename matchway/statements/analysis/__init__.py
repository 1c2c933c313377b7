"""Personal-statement analysis: pure Python, no Django, no network.

``analyze(text, max_chars=..., current_year=..., ...)`` returns an ``AnalysisResult``
whose findings carry offsets into the text; ``normalize_plain_text`` rewrites the text so
it survives ERAS plain text.
"""

from .core import analyze
from .plaintext import normalize_plain_text
from .style import format_pages, page_range
from .types import AnalysisResult, Finding, NormalizationChange

__all__ = [
    "AnalysisResult",
    "Finding",
    "NormalizationChange",
    "analyze",
    "format_pages",
    "normalize_plain_text",
    "page_range",
]
