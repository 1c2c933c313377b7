"""core.http.client_ip: the one client-IP helper, trusting a configured number of proxies."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from matchway.core.http import client_ip


def _request(remote: str = "10.0.0.2", forwarded: str | None = None):  # type: ignore[no-untyped-def]
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.2"),  # header ignored without trusted proxies
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # spoofed left part ignored
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.7", "203.0.113.9"),
        (1, "not-an-ip", None),
        (1, "2001:db8::1", "2001:db8::1"),
        (2, "203.0.113.9", "10.0.0.2"),  # fewer hops than configured
        (1, None, "10.0.0.2"),
    ],
)
def test_client_ip_takes_the_nth_address_from_the_right(settings, trusted, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = trusted
    assert client_ip(_request(forwarded=forwarded)) == expected


def test_client_ip_without_request_or_with_a_bad_remote_addr():
    assert client_ip(None) is None
    assert client_ip(_request(remote="garbage")) is None


def test_allauth_rate_limits_use_the_same_helper(settings):
    from allauth.account.adapter import get_adapter

    settings.TRUSTED_PROXY_COUNT = 1
    assert get_adapter().get_client_ip(_request(forwarded="1.2.3.4, 203.0.113.9")) == "203.0.113.9"


@pytest.mark.django_db
def test_audit_records_the_forwarded_client(settings):
    from matchway.core.audit import audit_record

    settings.TRUSTED_PROXY_COUNT = 1
    event = audit_record(actor=None, action="test.ip", request=_request(forwarded="203.0.113.9"))
    assert event.ip == "203.0.113.9"


def test_writer_link_limiter_counts_per_forwarded_client(settings):
    from django.core.cache import cache

    from matchway.letters import conf, ratelimit

    cache.clear()
    settings.TRUSTED_PROXY_COUNT = 1
    limit, _ = conf.token_rate_limit()
    for _ in range(limit):
        assert ratelimit.hit(_request(forwarded="203.0.113.9"))
    assert not ratelimit.hit(_request(forwarded="203.0.113.9"))
    # Another client behind the same proxy still gets through.
    assert ratelimit.hit(_request(forwarded="198.51.100.4"))
