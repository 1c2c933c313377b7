"""Gunicorn's logger with secret-link tokens masked (core/logging.py, docs/dev/tokens.md).

Gunicorn writes its access log (request line, path, Referer) and its error log ("Error
handling request /letters/write/<token>/") itself, outside Django's LOGGING. Enabled by
`logger_class` in config/gunicorn.conf.py.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from .logging import MaskTokensFilter


class MaskingGunicornLogger(Logger):  # type: ignore[misc]
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, MaskTokensFilter) for f in log.filters):
                log.addFilter(MaskTokensFilter())
