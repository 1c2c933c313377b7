"""The rank list sandbox: which targets are on the applicant's draft list and in what
order (`ProgramTarget.rank`, 1 = first choice). Every change locks the applicant's row and
renumbers the whole list 1..n, so two tabs can never leave gaps or duplicates."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from matchway.core.audit import audit_record
from matchway.core.exceptions import NotFound, ValidationFailed
from matchway.core.locking import lock_for_update
from matchway.reference.eras import eras_data

from ..models import ProgramTarget, TargetStatus
from .signals import applicant_transaction

UP, DOWN = "up", "down"
OFF_LIST = (TargetStatus.REJECTED, TargetStatus.WITHDRAWN)


def rank_list_max() -> int | None:
    fact = (eras_data().get("rank_order_list") or {}).get("max_ranks_per_list") or {}
    value = fact.get("value")
    return int(value) if isinstance(value, int) else None


def rank_list_for_user(*, user: Any, season: str) -> list[ProgramTarget]:
    return list(
        ProgramTarget.objects.filter(applicant=user, season=season, rank__isnull=False)
        .select_related("program__specialty")
        .order_by("rank", "pk")
    )


def rank_candidates_for_user(*, user: Any, season: str) -> list[ProgramTarget]:
    return list(
        ProgramTarget.objects.filter(applicant=user, season=season, rank__isnull=True)
        .exclude(status__in=OFF_LIST)
        .select_related("program__specialty")
        .order_by("program__name", "pk")
    )


def _locked_list(user_id: int, season: str) -> list[ProgramTarget]:
    lock_for_update(get_user_model(), [user_id])
    return list(
        ProgramTarget.objects.filter(applicant_id=user_id, season=season, rank__isnull=False)
        .select_related("program")
        .order_by("rank", "pk")
    )


def _save_order(actor: Any, season: str, ordered: list[ProgramTarget], what: str) -> None:
    changed = []
    for index, target in enumerate(ordered, start=1):
        if target.rank != index:
            target.rank = index
            changed.append(target)
    ProgramTarget.objects.bulk_update(changed, ["rank"])
    audit_record(
        actor=actor,
        action="eras_rank_list.reordered",
        target=actor,
        data={"season": season, "change": what, "order": [t.pk for t in ordered]},
    )


def _own(actor: Any, target: ProgramTarget) -> None:
    if target.applicant_id != getattr(actor, "pk", None):
        raise NotFound()


def rank_list_add(*, actor: Any, target: ProgramTarget) -> None:
    _own(actor, target)
    if target.status in OFF_LIST:
        raise ValidationFailed("A rejected or withdrawn program cannot be ranked.")
    with applicant_transaction():
        ordered = _locked_list(actor.pk, target.season)
        if any(t.pk == target.pk for t in ordered):
            return
        limit = rank_list_max()
        if limit is not None and len(ordered) >= limit:
            raise ValidationFailed(f"A rank list holds at most {limit} programs.")
        fresh = ProgramTarget.objects.get(pk=target.pk)
        fresh.rank = None
        _save_order(actor, target.season, [*ordered, fresh], f"added {target.pk}")


def rank_list_remove(*, actor: Any, target: ProgramTarget) -> None:
    _own(actor, target)
    with applicant_transaction():
        ordered = _locked_list(actor.pk, target.season)
        ProgramTarget.objects.filter(pk=target.pk).update(rank=None)
        _save_order(
            actor, target.season, [t for t in ordered if t.pk != target.pk], f"removed {target.pk}"
        )


def rank_list_move(*, actor: Any, target: ProgramTarget, direction: str) -> None:
    """One place up or down; at either end nothing changes."""
    _own(actor, target)
    if direction not in (UP, DOWN):
        raise ValidationFailed(errors={"direction": ["up or down"]})
    with applicant_transaction():
        ordered = _locked_list(actor.pk, target.season)
        index = next((i for i, t in enumerate(ordered) if t.pk == target.pk), None)
        if index is None:
            raise NotFound()
        other = index - 1 if direction == UP else index + 1
        if not 0 <= other < len(ordered):
            return
        ordered[index], ordered[other] = ordered[other], ordered[index]
        _save_order(actor, target.season, ordered, f"moved {target.pk} {direction}")


def rank_list_set_order(*, actor: Any, season: str, target_ids: list[int]) -> None:
    """The whole order at once (drag and drop): exactly the programs already on the list."""
    with applicant_transaction():
        ordered = _locked_list(actor.pk, season)
        by_pk = {t.pk: t for t in ordered}
        if len(target_ids) != len(set(target_ids)) or set(target_ids) != set(by_pk):
            raise ValidationFailed(
                "The list changed in another window; reload the page and try again."
            )
        _save_order(actor, season, [by_pk[pk] for pk in target_ids], "reordered")
