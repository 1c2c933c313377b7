"""The ERAS workspace's JSON API, assembled from its two parts (DESIGN.md "ERAS and Match")."""

from ninja import Router

from .api_programs import router as programs_router
from .api_season import router as season_router

router = Router(tags=["eras"])
router.add_router("", programs_router)
router.add_router("", season_router)
