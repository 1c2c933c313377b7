"""Audit actions read as words, with the code beside them for whoever needs it (#17)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from matchway.core.audit import audit_record
from matchway.core.audit_labels import ACTION_LABELS, action_label

APP_ROOT = Path(__file__).resolve().parents[2]
# Every "<entity>.<verb>" literal on a line that passes `action=` (audit_record's keyword),
# including both arms of `action="x.a" if … else "x.b"`.
CODE = re.compile(r'"([a-z_]+\.[a-z_0-9]+)"')


def _codes_in_code_base() -> set[str]:
    codes: set[str] = set()
    for path in APP_ROOT.rglob("*.py"):
        if "tests" in path.relative_to(APP_ROOT).parts:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if "action=" in line or "record(" in line:
                codes.update(CODE.findall(line))
    return codes


def test_the_scan_finds_the_audit_actions():
    codes = _codes_in_code_base()
    assert {"letter_request.brag_sheet_downloaded", "account.deactivated"} <= codes
    assert len(codes) > 80


def test_every_action_in_the_code_base_has_words():
    missing = sorted(_codes_in_code_base() - set(ACTION_LABELS))
    assert not missing, f"Add words for these audit actions in core/audit_labels.py: {missing}"


def test_known_and_unknown_codes_read_as_words():
    assert action_label("letter_request.brag_sheet_downloaded") == "Brag sheet downloaded"
    assert action_label("widget.colour_changed") == "Widget: colour changed"
    assert action_label("gadget_thing.re_done") == "Gadget thing: re done"
    assert action_label("odd") == "Odd"


@pytest.mark.django_db
def test_audit_log_shows_words_with_the_code_in_a_tooltip(coordinator_client, applicant):
    audit_record(actor=applicant, action="letter_request.brag_sheet_downloaded", target=applicant)
    audit_record(actor=applicant, action="widget.colour_changed", target=applicant)
    html = coordinator_client.get(reverse("home:audit-log")).content.decode()
    assert '<abbr title="letter_request.brag_sheet_downloaded">Brag sheet downloaded</abbr>' in html
    assert '<abbr title="widget.colour_changed">Widget: colour changed</abbr>' in html
    # Each value carries its label for the stacked phone layout.
    assert 'data-label="When"' in html
    assert 'data-label="Action"' in html
