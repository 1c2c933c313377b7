"""The refund policy module (rotations/refunds.py): validation, words, arithmetic at each
boundary day. Pure: no database."""

from __future__ import annotations

import datetime as dt

import pytest

from matchway.rotations.refunds import (
    RefundRulesError,
    policy_sentences,
    quote_refund,
    validate_rules,
)

RULES = {
    "deposit": [{"until_days": 30, "percent": 100}, {"until_days": 14, "percent": 50}],
    "balance": [{"until_days": 14, "percent": 100}],
}
START = dt.date(2027, 6, 1)
DEPOSIT = 90_000
PRICE = 360_000


def _quote(days_before: int, paid: int = PRICE, refunded: int = 0) -> int:
    return quote_refund(
        RULES,
        start_date=START,
        on_date=START - dt.timedelta(days=days_before),
        deposit_cents=DEPOSIT,
        paid_cents=paid,
        refunded_cents=refunded,
    ).refund_cents


@pytest.mark.parametrize(
    ("days_before", "expected"),
    [
        (60, PRICE),
        (31, PRICE),
        (30, PRICE),  # the boundary day itself still gets the tier
        (29, DEPOSIT // 2 + (PRICE - DEPOSIT)),
        (15, DEPOSIT // 2 + (PRICE - DEPOSIT)),
        (14, DEPOSIT // 2 + (PRICE - DEPOSIT)),
        (13, 0),
        (0, 0),
        (-3, 0),
    ],
)
def test_full_payment_at_each_boundary(days_before: int, expected: int) -> None:
    assert _quote(days_before) == expected


@pytest.mark.parametrize(("days_before", "expected"), [(30, DEPOSIT), (29, DEPOSIT // 2), (13, 0)])
def test_deposit_only(days_before: int, expected: int) -> None:
    assert _quote(days_before, paid=DEPOSIT) == expected


def test_partial_deposit_is_all_deposit() -> None:
    assert _quote(20, paid=10_001) == 5_000  # rounded down to the cent


def test_already_refunded_is_deducted_and_never_more_than_paid() -> None:
    assert _quote(40, refunded=100_000) == PRICE - 100_000
    assert _quote(40, refunded=PRICE) == 0
    assert _quote(20, refunded=DEPOSIT // 2 + (PRICE - DEPOSIT)) == 0


def test_nothing_paid_nothing_back() -> None:
    quote = quote_refund(
        RULES, start_date=START, on_date=START, deposit_cents=DEPOSIT, paid_cents=0
    )
    assert quote.refund_cents == 0
    assert "nothing paid yet" in quote.explanation


def test_provider_cancelled_refunds_everything_paid() -> None:
    quote = quote_refund(
        RULES,
        start_date=START,
        on_date=START + dt.timedelta(days=2),
        deposit_cents=DEPOSIT,
        paid_cents=PRICE,
        refunded_cents=1_000,
        provider_cancelled=True,
    )
    assert quote.refund_cents == PRICE - 1_000
    assert quote.rule == "provider_cancelled"


def test_no_rules_no_automatic_refund() -> None:
    quote = quote_refund({}, start_date=START, on_date=START, deposit_cents=1, paid_cents=5)
    assert quote.refund_cents == 0
    assert quote.rule == ""


def test_explanation_names_the_rule() -> None:
    quote = quote_refund(
        RULES,
        start_date=START,
        on_date=START - dt.timedelta(days=20),
        deposit_cents=DEPOSIT,
        paid_cents=PRICE,
    )
    assert quote.rule == "deposit:14d:50,balance:14d:100"
    assert "20 days before the start date" in quote.explanation
    assert f"Refund: ${quote.refund_cents / 100:,.2f}." in quote.explanation


def test_sentences_come_from_the_rules() -> None:
    sentences = policy_sentences(RULES)
    assert sentences[0] == (
        "Deposit: refunded in full until 30 days before the start date, then 50 % until "
        "14 days before the start date; nothing after that."
    )
    assert sentences[1] == (
        "Balance: refunded in full until 14 days before the start date; nothing after that."
    )
    assert "cancel your session" in sentences[2]
    assert policy_sentences({}) == []


def test_validation_normalizes_and_sorts() -> None:
    rules = validate_rules({"deposit": [{"until_days": "14", "percent": 50}, RULES["deposit"][0]]})
    assert rules == {"deposit": RULES["deposit"]}
    assert validate_rules(None) == {}


@pytest.mark.parametrize(
    "raw",
    [
        [],
        {"refund": []},
        {"deposit": "all"},
        {"deposit": [{"until_days": -1, "percent": 50}]},
        {"deposit": [{"until_days": 10, "percent": 0}]},
        {"deposit": [{"until_days": 10, "percent": 101}]},
        {"deposit": [{"until_days": 10, "percent": True}]},
        {"deposit": [{"until_days": 10, "percent": 50}, {"until_days": 10, "percent": 40}]},
        {"deposit": [{"until_days": 30, "percent": 50}, {"until_days": 14, "percent": 100}]},
        {"deposit": ["x"]},
    ],
)
def test_malformed_rules_are_refused(raw: object) -> None:
    with pytest.raises(RefundRulesError):
        validate_rules(raw)
