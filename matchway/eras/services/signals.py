"""Setting a target's signal. MINIMAL placeholder owned by the season part (eras-b), which
replaces this module with the version that checks the season's per-specialty limits; keep the
signature: every signal change goes through `target_signal_set`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import User
from matchway.core.audit import audit_record
from matchway.core.exceptions import NotFound, ValidationFailed

from ..models import ProgramTarget, Signal


def target_signal_set(*, target: ProgramTarget, signal: str, actor: User) -> ProgramTarget:
    if target.applicant_id != actor.pk:
        raise NotFound()
    if signal not in Signal.values:
        raise ValidationFailed(errors={"signal": [str(_("Unknown signal."))]})
    if signal == target.signal:
        return target
    old = target.signal
    target.signal = signal
    target.save(update_fields=["signal", "updated_at"])
    audit_record(
        actor=actor,
        action="eras_target.signal_set",
        target=target,
        data={"from": old, "to": signal},
    )
    return target
