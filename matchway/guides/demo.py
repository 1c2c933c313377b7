"""Demo data for the guides (seed_demo). Idempotent.

The seven bundled guides come from the data migration; re-syncing here restores them if a
database was flushed. The demo coordinator also gets a draft and a scheduled article so the
editor's lists are not empty.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from matchway.core import clock

from .models import Article, ArticleStatus
from .services import ArticleInput, article_create, articles_sync_from_files

DEMO_DRAFT = ArticleInput(
    title="Preparing for a telehealth rotation",
    slug="preparing-for-a-telehealth-rotation",
    summary="Camera, connection, privacy and etiquette: what to set up before a virtual rotation.",
    body=(
        "Virtual rotations ask for the same professionalism as ward work, plus a few habits "
        "of their own.\n\n## Before the first session\n\n"
        "- [ ] Test your camera, microphone and connection\n"
        "- [ ] Find a quiet, private room\n"
        "- [ ] Ask how patient privacy is protected on the platform\n\n"
        "## Writing it up for ERAS\n\nEach experience description has "
        "{{eras.experiences.description_max_chars}} characters.\n"
    ),
    tags=("USCE",),
    status=ArticleStatus.DRAFT,
)
DEMO_SCHEDULED_SLUG = "match-week-checklist"


def seed(context: dict[str, Any]) -> None:
    result = articles_sync_from_files()
    coordinator = context.get("users", {}).get("coordinator")
    if not Article.objects.filter(slug=DEMO_DRAFT.slug).exists():
        article_create(actor=coordinator, data=DEMO_DRAFT)
    if not Article.objects.filter(slug=DEMO_SCHEDULED_SLUG).exists():
        article_create(
            actor=coordinator,
            data=ArticleInput(
                title="A one-page Match week checklist",
                slug=DEMO_SCHEDULED_SLUG,
                summary="Everything from our SOAP guide on one printable page.",
                body="See [How SOAP works for IMGs](/guides/soap-for-imgs/).\n\n"
                "- [ ] Phone, voicemail and video tested\n",
                tags=("SOAP",),
                status=ArticleStatus.SCHEDULED,
                publish_at=clock.now() + dt.timedelta(days=14),
            ),
        )
    stdout = context.get("stdout")
    if stdout is not None:
        stdout.write(
            f"Guides: {len(result.created)} created, {len(result.updated)} updated "
            f"from content files; demo draft and scheduled article ready."
        )
