import pytest
from django.db import transaction

from matchway.accounts.models import User
from matchway.core.locking import booking_transaction, lock_for_update

pytestmark = pytest.mark.django_db(transaction=True)


def test_lock_refuses_to_run_outside_a_transaction(applicant):
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        lock_for_update(User, [applicant.pk])


def test_lock_returns_fresh_rows_in_pk_order(applicant, outsider):
    with transaction.atomic():
        rows = lock_for_update(User, [outsider.pk, applicant.pk, applicant.pk])
    assert list(rows) == sorted([applicant.pk, outsider.pk])
    assert rows[applicant.pk].email == applicant.email


def test_booking_transaction_is_durable(applicant):
    with pytest.raises(RuntimeError), transaction.atomic(), booking_transaction():
        pass  # nesting a durable block is a bug the services must surface
