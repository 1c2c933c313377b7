"""Guides in real Chromium: a reader searches, reads and follows a tag; a coordinator drafts,
previews (htmx) and publishes an article. Screenshots at desktop and phone widths."""

from __future__ import annotations

import re
from typing import Any

import pytest

from matchway.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from matchway.guides.models import Article, ArticleStatus
from matchway.guides.tests.conftest import ensure_bundled_guides

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(autouse=True)
def _guides(transactional_db: None) -> None:
    ensure_bundled_guides()


def test_reader_searches_reads_and_follows_a_tag(live_server: Any, page: Any, screenshot: Any):
    base = live_server.url
    page.goto(f"{base}/guides/")
    assert page.get_by_role("heading", name="Guides", exact=True).is_visible()
    assert page.locator(".guide-card").count() == 7
    screenshot(page, "index")

    # Live search (htmx): typing updates the results and the address bar.
    page.get_by_label("Search the guides").fill("letter of recommendation")
    page.wait_for_url(re.compile(r"\?q=letter"))
    first = page.locator("#guide-results .guide-card").first
    first.locator("mark").first.wait_for()
    assert "letter of recommendation" in first.locator("h2").inner_text().lower()
    screenshot(page, "search-results")

    # A typo: suggestion and popular guides instead of a dead end.
    page.get_by_label("Search the guides").fill("sopa")
    page.get_by_text("Did you mean").wait_for()
    assert page.get_by_role("heading", name="Popular guides").is_visible()
    screenshot(page, "search-typo")
    page.locator(".guide-suggestion").get_by_role("link", name="soap").click()
    page.wait_for_url(re.compile(r"\?q=soap"))
    page.locator("#guide-results .guide-card h2 a").first.click()
    page.wait_for_url(re.compile(r"/guides/soap-for-imgs/$"))

    assert page.get_by_role("heading", level=1).inner_text().startswith("How SOAP works")
    toc = page.get_by_role("navigation", name="On this page")
    assert toc.is_visible()
    assert "You have 45 applications" in page.locator(".guide-body").inner_text()
    assert page.get_by_text("Facts for season:").is_visible()
    screenshot(page, "article")

    # Checklist ticks survive a reload (this browser only).
    box = page.locator(".guide-body input.task-list-item-checkbox").first
    assert box.is_enabled()
    box.check()
    page.reload()
    assert page.locator(".guide-body input.task-list-item-checkbox").first.is_checked()

    # The TOC jumps to its section.
    toc.get_by_role("link", name="Who can take part").click()
    page.wait_for_url(re.compile(r"#who-can-take-part$"))

    page.locator(".guide-header").get_by_role("link", name="IMG challenges").click()
    page.wait_for_url(re.compile(r"/guides/tag/img-challenges/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Guides about IMG challenges"
    assert page.locator(".guide-card").count() == 4
    screenshot(page, "tag")

    page.set_viewport_size(PHONE)
    page.goto(f"{base}/guides/")
    screenshot(page, "phone-index")
    page.goto(f"{base}/guides/asking-for-letters-of-recommendation/")
    screenshot(page, "phone-article")
    page.goto(f"{base}/guides/?q=personal+statment")
    screenshot(page, "phone-search")
    page.set_viewport_size(DESKTOP)


def test_home_and_dashboard_point_to_guides(live_server: Any, page: Any, screenshot: Any):
    base = live_server.url
    page.goto(f"{base}/")
    latest = page.locator(".guide-latest")
    assert latest.get_by_role("heading", name="New in the guides").is_visible()
    assert latest.locator(".guide-card").count() == 3
    screenshot(page, "home")

    UserFactory(role="applicant", email="amina@example.com", full_name="Amina Okafor")
    _sign_in(page, base, "amina@example.com")
    panel = page.locator(".guide-next-step")
    assert panel.get_by_text("Before you book a rotation").is_visible()
    panel.get_by_role("link", name="How clinical rotations help you choose a specialty").click()
    page.wait_for_url(re.compile(r"/guides/choosing-specialty-through-rotations/$"))
    page.go_back()
    screenshot(page, "dashboard")


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def test_coordinator_drafts_previews_and_publishes(
    live_server: Any, page: Any, screenshot: Any, playwright_browser: Any
):
    base = live_server.url
    UserFactory(role="coordinator", email="coord@example.com", full_name="Carol Chen")
    _sign_in(page, base, "coord@example.com")
    page.goto(f"{base}/guides/manage/")
    screenshot(page, "manage")
    page.get_by_role("button", name="New article").click()
    page.wait_for_url(re.compile(r"/guides/manage/new/$"))

    page.get_by_label("Title").fill("Your first week on a US rotation")
    page.get_by_label("Summary").fill("What to expect in week one, and how to make it count.")
    body = page.get_by_label("Article (Markdown)")
    body.click()
    body.press_sequentially(
        "Week one sets the tone.\n\n## Before day one\n\n"
        "- [ ] Print your schedule\n- [ ] Ask about parking\n\n"
        "You can list {{eras.experiences.max_count}} experiences. {{eras.no.such}}\n",
        delay=2,
    )
    preview = page.locator("#article-preview")
    preview.get_by_role("heading", name="Before day one").wait_for()
    assert "You can list 10 experiences." in preview.inner_text()
    assert preview.locator(".fact-unknown").is_visible()
    assert preview.get_by_role("alert").is_visible()
    screenshot(page, "editor-preview")

    # Remove the bad placeholder, tag it, save as a draft.
    body.fill(
        "Week one sets the tone.\n\n## Before day one\n\n- [ ] Print your schedule\n\n"
        "You can list {{eras.experiences.max_count}} experiences.\n"
    )
    body.press("End")
    page.get_by_label("Tags").fill("USCE, onboarding")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/guides/manage/\d+/edit/$"))
    assert page.get_by_text("Saved as a draft").is_visible()
    screenshot(page, "saved-draft")

    article = Article.objects.get(slug="your-first-week-on-a-us-rotation")
    assert article.status == ArticleStatus.DRAFT
    reader = playwright_browser.new_context(viewport=DESKTOP)
    reader_page = reader.new_page()
    assert reader_page.goto(f"{base}/guides/{article.slug}/").status == 404

    page.get_by_role("link", name="View the article").click()
    assert page.get_by_text("Draft. Only coordinators can see this article.").is_visible()
    screenshot(page, "draft-view")

    page.get_by_role("button", name="Edit article").click()
    page.get_by_role("radio", name=re.compile("Published")).check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("is published").wait_for()
    screenshot(page, "published")

    assert reader_page.goto(f"{base}/guides/{article.slug}/").status == 200
    assert reader_page.get_by_role("heading", level=1).inner_text() == article.title
    reader_page.goto(f"{base}/guides/")
    assert reader_page.locator(".guide-card").first.get_by_text(article.title).is_visible()
    screenshot(reader_page, "reader-sees-it")
    reader.close()

    page.set_viewport_size(PHONE)
    page.goto(f"{base}/guides/manage/{article.pk}/edit/")
    screenshot(page, "phone-editor")
