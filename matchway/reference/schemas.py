from __future__ import annotations

from ninja import Schema


class SpecialtyOut(Schema):
    code: str
    name: str
    category: str
    eras_participating: bool
    match_type: str


class SignalsOut(Schema):
    season: str
    status: str
    source: str
    current_season: str
    current_status: str
    gold: int | None
    silver: int | None
    signals: int | None


class OutcomeOut(Schema):
    year: int
    label: str
    scope: str
    positions_offered: int | None
    filled_total: int | None
    filled_us_md: int | None
    filled_us_do: int | None
    filled_us_img: int | None
    filled_non_us_img: int | None
    unfilled: int | None
    fill_rate: float | None
    source: str
    source_label: str


class SpecialtyDetailOut(Schema):
    code: str
    name: str
    description: str
    application_service: str
    training_years: int | None = None
    signals: SignalsOut | None
    outcomes: list[OutcomeOut]
