from __future__ import annotations

from tests.access import Rule

URL_RULES: dict[str, Rule] = {}
API_RULES: dict[str, Rule] = {}
