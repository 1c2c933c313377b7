"""Secret-link tokens never reach a log record or an error email (core/logging.py)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path
from django.utils.log import ServerFormatter

from matchway.core.logging import MaskTokensFilter, mask_paths

#: A fixed token of `secrets.token_urlsafe(32)` shape (fixed: test ids must match across
#: xdist workers).
RAW = "Zk9TqY3v-Hn2_Lw8RcXpJ4dF6sB0mAe7uGtKo1iWyNQ"


def _boom(request: HttpRequest, token: str) -> HttpResponse:
    raise RuntimeError(f"writer link failed for {request.path}")


# A test URLconf: the real URLs plus a writer-link path whose view fails (a server error).
urlpatterns = [
    path("letters/write/<str:token>/explode/", _boom),
    path("", include("config.urls")),
]


def _formatted(records: list[logging.LogRecord]) -> list[str]:
    formatter = logging.Formatter("%(name)s %(message)s")
    return [formatter.format(record) for record in records]


def _assert_no_raw_token(texts: list[str]) -> None:
    assert texts, "nothing was logged"
    for text in texts:
        assert RAW not in text, text


def _token_urls() -> list[tuple[str, str]]:
    """(name, path with RAW in it) for every URL that has a `token` or `key` argument."""
    found: list[tuple[str, str]] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern).lstrip("^").rstrip("$")
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern):
                names = set(p.pattern.regex.groupindex)
                if names & {"token", "key"}:
                    example = route
                    for name in ("token", "key"):
                        example = example.replace(f"<str:{name}>", RAW)
                        example = example.replace(f"(?P<{name}>[-:\\w]+)", RAW)
                        example = example.replace(f"(?P<{name}>.+)", RAW)
                    example = example.replace("(?P<uidb36>[0-9A-Za-z]+)", "1z")
                    example = example.replace("<str:fmt>", "pdf")
                    example = example.replace("<int:document_pk>", "7")
                    found.append((p.name or route, "/" + example))

    walk(get_resolver().url_patterns, "")
    return found


def test_every_secret_link_url_is_masked():
    urls = _token_urls()
    names = {name for name, _ in urls}
    assert {"feed", "write", "evaluation-external", "review", "invitation-accept"} <= names
    assert "account_reset_password_from_key" in names
    for name, url in urls:
        assert RAW in url, (name, url)  # the example really carries the token
        masked = mask_paths(f"GET {url} HTTP/1.1")
        assert RAW not in masked, (name, masked)
        assert "…" in masked


@pytest.mark.parametrize(
    "url",
    [f"/calendar/{RAW}.ics", f"/letters/write/{RAW}/", f"/statements/review/{RAW}/"],
)
@pytest.mark.django_db
def test_a_wrong_token_404_is_logged_without_the_token(anonymous, caplog, url):
    with caplog.at_level(logging.INFO):
        response = anonymous.get(url)
    assert response.status_code == 404
    assert any("Not Found" in r.getMessage() for r in caplog.records)
    _assert_no_raw_token(_formatted(caplog.records))


@pytest.mark.django_db
def test_a_working_calendar_feed_url_is_not_logged_either(applicant, caplog):
    from matchway.rotations.services.calendar import calendar_feed_create

    raw, _ = calendar_feed_create(actor=applicant)
    with caplog.at_level(logging.INFO):
        Client().get(f"/calendar/{raw}.ics", HTTP_REFERER=f"http://testserver/calendar/{raw}.ics")
        logging.getLogger("django.request").warning("Odd feed request: %s", f"/calendar/{raw}.ics")
    assert caplog.records
    for text in _formatted(caplog.records):
        assert raw not in text, text


@pytest.mark.django_db
def test_a_server_error_on_a_token_url_is_logged_and_emailed_without_the_token(
    settings, caplog, mailoutbox
):
    settings.ROOT_URLCONF = __name__
    settings.ADMINS = [("Ops", "ops@example.com")]
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.INFO):
        response = client.get(f"/letters/write/{RAW}/explode/?x=1")
    assert response.status_code == 500
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and errors[0].exc_info
    texts = _formatted(caplog.records)
    _assert_no_raw_token(texts)
    assert any(f"/letters/write/{RAW[:4]}…/explode/" in text for text in texts)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    bodies = [mail.subject, mail.body, *(content for content, _ in mail.alternatives)]
    assert "RuntimeError" in mail.body
    _assert_no_raw_token([str(b) for b in bodies])


def test_the_runserver_request_line_has_no_token(capsys):
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.request = None  # the socket, in runserver
    logger = logging.getLogger("django.server")
    seen: list[logging.LogRecord] = []
    capture = logging.Handler()
    capture.emit = seen.append  # type: ignore[method-assign]
    logger.addHandler(capture)
    try:
        handler.log_message('"%s" %s %s', f"GET /calendar/{RAW}.ics HTTP/1.1", "404", "179")
        handler.log_message('"%s" %s %s', f"GET /letters/write/{RAW}/ HTTP/1.1", "200", "9")
    finally:
        logger.removeHandler(capture)
    assert len(seen) == 2
    _assert_no_raw_token([r.getMessage() for r in seen])
    # and the handler runserver really writes with (LOGGING's "django.server") masks too
    server_handlers = [h for h in logger.handlers if isinstance(h.formatter, ServerFormatter)]
    assert server_handlers
    assert all(any(isinstance(f, MaskTokensFilter) for f in h.filters) for h in server_handlers)
    _assert_no_raw_token([capsys.readouterr().err])


def test_the_filter_masks_args_of_any_type_and_keeps_the_record():
    args = (f"/invite/{RAW}", [f"/accounts/invite/{RAW}/"])
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "link %s %r", args, None)
    assert MaskTokensFilter().filter(record) is True
    assert RAW not in record.getMessage()


def test_gunicorn_access_and_error_logs_have_no_token(tmp_path):
    from types import SimpleNamespace

    from gunicorn.config import Config

    from matchway.core.gunicorn import MaskingGunicornLogger

    cfg = Config()
    access, errors = tmp_path / "access.log", tmp_path / "error.log"
    cfg.set("accesslog", str(access))
    cfg.set("errorlog", str(errors))
    cfg.set("logger_class", "matchway.core.gunicorn.MaskingGunicornLogger")
    assert cfg.logger_class is MaskingGunicornLogger
    log = MaskingGunicornLogger(cfg)
    url = f"/letters/write/{RAW}/"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{url}?x=1",
        "PATH_INFO": url,
        "QUERY_STRING": "x=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://matchway.example{url}",
    }
    resp = SimpleNamespace(status="404 Not Found", status_code=404, sent=9, headers=[])
    req = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])], uri=url)
    log.access(resp, req, environ, __import__("datetime").timedelta(seconds=0.01))
    log.error("Error handling request %s", f"{url}?x=1")
    for handler in [*log.access_log.handlers, *log.error_log.handlers]:
        handler.flush()
    written = access.read_text() + errors.read_text()
    assert f"/letters/write/{RAW[:4]}…/" in written
    assert RAW not in written


def test_production_gunicorn_config_uses_the_masking_logger():
    from pathlib import Path

    from django.conf import settings

    namespace: dict[str, Any] = {}
    exec((Path(settings.BASE_DIR) / "config" / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102
    assert namespace["logger_class"] == "matchway.core.gunicorn.MaskingGunicornLogger"
