"""Template helpers for money: an application's receipts and invoices, and the refund policy
in words generated from the rotation's schedule (so text and quote never disagree)."""

from __future__ import annotations

from typing import Any

from django import template

from ..refunds import policy_sentences
from ..selectors_money import invoices_for_application

register = template.Library()


@register.inclusion_tag("rotations/money/_documents.html")
def money_documents(application: Any) -> dict[str, Any]:
    return {"documents": invoices_for_application(application), "application": application}


@register.filter
def refund_sentences(rules: Any) -> list[str]:
    return policy_sentences(rules)
