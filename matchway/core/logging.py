"""Secret-link tokens never reach a log line or an error email (docs/dev/tokens.md).

A secret link carries its token in the URL path (invitations, letter-writer, evaluator and
statement-review links, calendar feeds, allauth's password-reset and email-confirmation
keys). Django logs the path of every 4xx/5xx (`django.request`), `runserver` logs every
request line (`django.server`), and the 500 email (`AdminEmailHandler`) carries the path, the
request's META and the view's local variables. Anyone who can read a log could then open the
link. `MaskTokensFilter` (on the loggers and handlers in `LOGGING`) rewrites each record:
the token segment becomes its first four characters and `…`, enough to tell two links apart
and useless to open either. `MaskingAdminEmailHandler` also removes the raw token from the
whole error report (tracebacks show `token` as a local variable). `GunicornLogger` does the
same for gunicorn's access and error logs (config/gunicorn.conf.py).
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.functional import Promise as StrPromise
from django.utils.log import AdminEmailHandler

#: Path prefixes after which one segment is a secret (a new secret-link URL goes here;
#: `core/tests/test_logging.py` fails for a `<token>`/`<key>` URL that is not covered).
TOKEN_PATH_PREFIXES = (
    "/accounts/invite/",
    "/accounts/confirm-email/",
    "/accounts/password/reset/key/",
    "/calendar/",
    "/experience/evaluate/",
    "/letters/write/",
    "/notifications/unsubscribe/",
    "/statements/review/",
)

# The segment ends at "/", "?", "#", whitespace, a quote, or ".ics" style suffixes ("." is
# not in a `token_urlsafe` token). Matches in bare paths, full URLs and request lines.
TOKEN_PATH = re.compile(
    "(?P<prefix>" + "|".join(re.escape(p) for p in TOKEN_PATH_PREFIXES) + ")"
    r"(?P<token>[^/?#.\s\"'<>]+)"
)

VISIBLE = 4
MASK = "…"

#: META keys that carry the request path or another URL of the site.
_PATH_META = ("PATH_INFO", "REQUEST_URI", "RAW_URI", "SCRIPT_URL", "HTTP_REFERER")


def mask_token(token: str) -> str:
    return token[:VISIBLE] + MASK


def mask_paths(text: str) -> str:
    """`text` with every secret-link token in a path replaced by its masked form."""
    return TOKEN_PATH.sub(lambda m: m["prefix"] + mask_token(m["token"]), text)


def tokens_in(texts: Iterable[str]) -> set[str]:
    """The raw tokens in the secret-link paths found in `texts` (longer than the mask)."""
    return {m["token"] for text in texts for m in TOKEN_PATH.finditer(text) if len(m["token"]) > 4}


def mask_secrets(text: str, secrets: Iterable[str]) -> str:
    """Every occurrence of a known raw token masked, wherever it appears in `text`."""
    text = mask_paths(text)
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, mask_token(secret))
    return text


def _request_texts(request: Any) -> list[str]:
    texts = [str(getattr(request, "path", "") or ""), str(getattr(request, "path_info", "") or "")]
    meta = getattr(request, "META", None)
    if isinstance(meta, Mapping):
        texts.extend(str(meta[key]) for key in _PATH_META if meta.get(key))
    return texts


def _masked_request(request: Any, secrets: set[str]) -> Any:
    """A shallow copy of an HttpRequest with its path and path-bearing META masked (the
    live request object is left alone: the response may still be on its way)."""
    masked = copy.copy(request)
    masked.path = mask_secrets(request.path, secrets)
    masked.path_info = mask_secrets(request.path_info, secrets)
    masked.META = dict(request.META)
    for key in _PATH_META:
        if isinstance(masked.META.get(key), str):
            masked.META[key] = mask_secrets(masked.META[key], secrets)
    return masked


class MaskTokensFilter(logging.Filter):
    """Mask secret-link tokens in a record's message, args, request and traceback text.

    Never drops a record. Idempotent, so it may sit on a logger and on its handlers.
    The raw tokens found are kept on the record (`masked_secrets`) for
    `MaskingAdminEmailHandler`, which renders the traceback itself.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        is_http_request = hasattr(request, "path") and hasattr(request, "META")
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the formatter's problem, not ours
            message = str(record.msg)
        texts = [message, *(_request_texts(request) if is_http_request else [])]
        if record.exc_info and record.exc_info[1] is not None:
            texts.append(str(record.exc_info[1]))
        secrets = tokens_in(texts) | set(getattr(record, "masked_secrets", ()))
        if not secrets:
            return True
        record.masked_secrets = secrets
        masked = mask_secrets(message, secrets)
        if masked != message:
            # The formatted message replaces msg % args: an arg of any type (a request line,
            # a URL object) may carry the token.
            record.msg, record.args = masked, ()
        if is_http_request:
            record.request = _masked_request(request, secrets)
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = mask_secrets(text, secrets)
        return True


class MaskingAdminEmailHandler(AdminEmailHandler):
    """Django's 500 email with every raw token found for the record removed from the
    subject and both bodies (the report shows META, the URL and frame-local variables)."""

    _secrets: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        MaskTokensFilter().filter(record)
        # Handler.handle holds the handler's lock around emit, so this is per record.
        self._secrets = set(getattr(record, "masked_secrets", ()))
        try:
            super().emit(record)
        finally:
            self._secrets = set()

    def send_mail(
        self, subject: str | StrPromise, message: str | StrPromise, *args: Any, **kwargs: Any
    ) -> None:
        subject = mask_secrets(str(subject), self._secrets)
        message = mask_secrets(str(message), self._secrets)
        if kwargs.get("html_message"):
            kwargs["html_message"] = mask_secrets(str(kwargs["html_message"]), self._secrets)
        super().send_mail(subject, message, *args, **kwargs)
