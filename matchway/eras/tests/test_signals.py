"""Signals: season counts and tiers from data, the refusal names the holders, isolation."""

from __future__ import annotations

from typing import Any

import pytest

from matchway.core.audit_labels import ACTION_LABELS
from matchway.core.exceptions import NotFound, SignalLimitReached, ValidationFailed
from matchway.core.models import AuditEvent
from matchway.eras.models import ProgramTarget
from matchway.eras.services.signals import (
    signal_allowance,
    signal_overview,
    target_signal_set,
)

from .factories_season import ProgramFactory, ProgramTargetFactory, specialty

pytestmark = pytest.mark.usefixtures("reference_data")


def _targets(user: Any, code: str, n: int) -> list[ProgramTarget]:
    return [
        ProgramTargetFactory(
            applicant=user, program=ProgramFactory(owner=user, specialty=specialty(code))
        )
        for _ in range(n)
    ]


def test_allowance_comes_from_data_with_provenance() -> None:
    im = signal_allowance(specialty("140"), "2027")
    assert im.limits == {"gold": 3, "silver": 12}
    assert im.facts is not None and im.facts.season == "ERAS 2025"
    assert not im.confirmed  # the 2027 table is not in the data
    assert signal_allowance(specialty("140"), "2025").confirmed
    assert signal_allowance(specialty("120"), "2025").limits == {"signal": 5}


def test_gold_limit_refused_with_the_programs_that_hold_them(applicant: Any) -> None:
    targets = _targets(applicant, "140", 4)
    for t in targets[:3]:
        target_signal_set(target=t, signal="gold", actor=applicant)
    with pytest.raises(SignalLimitReached) as caught:
        target_signal_set(target=targets[3], signal="gold", actor=applicant)
    err = caught.value
    assert err.status == 409 and err.code == "signal_limit"
    for t in targets[:3]:
        assert t.program.name in err.message
    assert {h["target_id"] for h in err.extra["held_by"]} == {t.pk for t in targets[:3]}
    targets[3].refresh_from_db()
    assert targets[3].signal == "none"
    # silver is a separate count; freeing a gold makes room.
    target_signal_set(target=targets[3], signal="silver", actor=applicant)
    target_signal_set(target=targets[0], signal="none", actor=applicant)
    target_signal_set(target=targets[3], signal="gold", actor=applicant)
    assert AuditEvent.objects.filter(action="eras_target.signal_set").count() == 6
    assert "eras_target.signal_set" in ACTION_LABELS


def test_tiers_must_match_the_specialty(applicant: Any) -> None:
    (im,) = _targets(applicant, "140", 1)
    (fm,) = _targets(applicant, "120", 1)
    with pytest.raises(ValidationFailed):
        target_signal_set(target=im, signal="signal", actor=applicant)
    with pytest.raises(ValidationFailed):
        target_signal_set(target=fm, signal="gold", actor=applicant)
    with pytest.raises(ValidationFailed):
        target_signal_set(target=fm, signal="platinum", actor=applicant)
    target_signal_set(target=fm, signal="signal", actor=applicant)


def test_shared_table_counts_diagnostic_and_interventional_radiology_together(
    applicant: Any,
) -> None:
    dr = _targets(applicant, "420", 6)
    (ir,) = _targets(applicant, "416", 1)
    for t in dr:
        target_signal_set(target=t, signal="gold", actor=applicant)
    with pytest.raises(SignalLimitReached):
        target_signal_set(target=ir, signal="gold", actor=applicant)


def test_counts_are_per_applicant_and_season(applicant: Any, outsider: Any) -> None:
    mine = _targets(applicant, "120", 5)
    for t in mine:
        target_signal_set(target=t, signal="signal", actor=applicant)
    (theirs,) = _targets(outsider, "120", 1)
    target_signal_set(target=theirs, signal="signal", actor=outsider)
    other_season = ProgramTargetFactory(
        applicant=applicant,
        program=ProgramFactory(owner=applicant, specialty=specialty("120")),
        season="2026",
    )
    target_signal_set(target=other_season, signal="signal", actor=applicant)


def test_someone_elses_target_is_not_found(applicant: Any, outsider: Any) -> None:
    (theirs,) = _targets(outsider, "120", 1)
    with pytest.raises(NotFound):
        target_signal_set(target=theirs, signal="signal", actor=applicant)


def test_overview_groups_by_table(applicant: Any, django_assert_num_queries: Any) -> None:
    im = _targets(applicant, "140", 2)
    target_signal_set(target=im[0], signal="gold", actor=applicant)
    _targets(applicant, "120", 1)
    with django_assert_num_queries(1):
        rows = signal_overview(user=applicant, season="2027")
    by_name = {r.specialty.code: r for r in rows}
    assert [(k, n, [t.pk for t in held]) for k, n, held in by_name["140"].lines] == [
        ("gold", 3, [im[0].pk]),
        ("silver", 12, []),
    ]
