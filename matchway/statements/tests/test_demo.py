"""seed_demo's statement: two versions and a reviewer comment, idempotent."""

from __future__ import annotations

import io
from typing import Any

import pytest

from matchway.accounts import demo as accounts_demo
from matchway.statements import demo
from matchway.statements.models import ReviewComment, Statement
from matchway.statements.selectors import comment_list_for_statement, version_latest

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent(reference_data: None) -> None:
    context: dict[str, Any] = {"password": "demo-pass-123", "stdout": io.StringIO()}
    accounts_demo.seed(context)
    demo.seed(context)
    demo.seed(context)
    statement = Statement.objects.get(applicant=context["users"]["applicant"])
    assert statement.specialty_id == "140"
    assert list(statement.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    comment = ReviewComment.objects.get()
    assert comment.author == context["users"]["preceptor"]
    assert comment.version.number == 2
    (item,) = comment_list_for_statement(statement, current=version_latest(statement))
    assert item.anchor.status == "exact"
