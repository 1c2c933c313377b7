from datetime import timedelta

import pytest
from django.utils import timezone

from matchway.core.models import OneTimeToken
from matchway.core.tokens import (
    token_consume,
    token_issue,
    token_resolve,
    token_revoke_for,
)

pytestmark = pytest.mark.django_db


def test_only_a_digest_is_stored(applicant):
    issued = token_issue(purpose="test", target=applicant, ttl=timedelta(days=1))
    record = OneTimeToken.objects.get()
    assert issued.raw not in record.digest
    assert len(record.digest) == 64
    assert token_resolve(issued.raw, purpose="test") == record


def test_expired_token_is_refused(applicant):
    issued = token_issue(purpose="test", target=applicant, ttl=timedelta(seconds=60))
    OneTimeToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert token_resolve(issued.raw, purpose="test") is None


def test_token_is_single_use(applicant):
    issued = token_issue(purpose="test", target=applicant, ttl=timedelta(days=1))
    record = token_resolve(issued.raw, purpose="test")
    assert record is not None
    assert token_consume(record) is True
    assert token_consume(record) is False, "a second consume must lose the compare-and-set"
    assert token_resolve(issued.raw, purpose="test") is None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda raw: raw[:-1] + ("A" if raw[-1] != "A" else "B"),
        lambda raw: raw + "x",
        lambda raw: raw[1:],
        lambda raw: "",
        lambda raw: "x" * 500,
    ],
)
def test_tampered_token_is_refused(applicant, tamper):
    issued = token_issue(purpose="test", target=applicant, ttl=timedelta(days=1))
    assert token_resolve(tamper(issued.raw), purpose="test") is None


def test_token_is_bound_to_its_purpose(applicant):
    issued = token_issue(purpose="invitation", target=applicant, ttl=timedelta(days=1))
    assert token_resolve(issued.raw, purpose="letter_writer") is None
    assert token_resolve(issued.raw, purpose="invitation") is not None


def test_token_is_bound_to_the_target_state(applicant):
    issued = token_issue(purpose="test", target=applicant, ttl=timedelta(days=1), state="requested")
    assert token_resolve(issued.raw, purpose="test", state="withdrawn") is None
    assert token_resolve(issued.raw, purpose="test", state="requested") is not None


def test_renewing_kills_the_previous_link(applicant):
    first = token_issue(purpose="test", target=applicant, ttl=timedelta(days=1))
    second = token_issue(purpose="test", target=applicant, ttl=timedelta(days=1))
    assert token_resolve(first.raw, purpose="test") is None
    assert token_resolve(second.raw, purpose="test") is not None


def test_revoke_for_target(applicant, outsider):
    mine = token_issue(purpose="test", target=applicant, ttl=timedelta(days=1))
    theirs = token_issue(purpose="test", target=outsider, ttl=timedelta(days=1))
    assert token_revoke_for(purpose="test", target=applicant) == 1
    assert token_resolve(mine.raw, purpose="test") is None
    assert token_resolve(theirs.raw, purpose="test") is not None


def test_digest_depends_on_secret_key(applicant, settings):
    issued = token_issue(purpose="test", target=applicant, ttl=timedelta(days=1))
    settings.SECRET_KEY = "another-secret-key-" + "y" * 40
    assert token_resolve(issued.raw, purpose="test") is None
