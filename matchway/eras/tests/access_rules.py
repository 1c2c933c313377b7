"""Authorization matrix rows for the ERAS workspace, from its two parts."""

from __future__ import annotations

from .access_rules_programs import API_RULES as PROGRAMS_API
from .access_rules_programs import URL_RULES as PROGRAMS_URLS
from .access_rules_season import API_RULES as SEASON_API
from .access_rules_season import URL_RULES as SEASON_URLS

URL_RULES = {**PROGRAMS_URLS, **SEASON_URLS}
API_RULES = {**PROGRAMS_API, **SEASON_API}
