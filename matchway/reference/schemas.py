from __future__ import annotations

from ninja import Schema


class SpecialtyOut(Schema):
    code: str
    name: str
    category: str
    eras_participating: bool
    match_type: str
