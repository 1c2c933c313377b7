from __future__ import annotations

import datetime as dt
import json
import os
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from matchway.core.models import AuditEvent
from matchway.guides.models import Article, ArticleStatus, Tag

from .factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _draft(**kwargs: Any) -> Article:
    return ArticleFactory(status=ArticleStatus.DRAFT, published_at=None, **kwargs)


# --- index, pagination, search -------------------------------------------------------


def test_index_lists_newest_first_with_excerpt_tags_and_reading_time(anonymous: Client) -> None:
    newest = ArticleFactory(title="Brand new guide", summary="Fresh advice for the season.")
    response = anonymous.get(reverse("guides:index"))
    html = response.content.decode()
    assert response.status_code == 200
    card_title = r'<h2 class="h4 guide-card-title">\s*<a href="[^"]+">\s*([^<]+?)\s*</a>'
    titles = re.findall(card_title, html)
    assert titles[0] == newest.title
    assert len(titles) == 8
    assert "Fresh advice for the season [\u2026]" in html
    assert 'href="/guides/tag/usce/"' in html
    assert "min read" in html
    assert f'<link rel="canonical" href="{settings.SITE_URL}/guides/">' in html
    assert 'type="application/atom+xml"' in html


def test_index_paginates(anonymous: Client, no_seed: None) -> None:
    for n in range(12):
        ArticleFactory(title=f"Guide {n:02d}", published_at=timezone.now() - dt.timedelta(hours=n))
    first = anonymous.get(reverse("guides:index")).content.decode()
    second = anonymous.get(reverse("guides:index") + "?page=2").content.decode()
    assert "Guide 00" in first
    assert "Guide 09" in first
    assert "Guide 10" not in first
    assert "Guide 10" in second
    assert "Guide 11" in second
    assert "Guide 00" not in second
    assert 'rel="next"' in first
    assert 'rel="prev"' in second
    assert "?page=2" in second  # canonical of page 2


@pytest.mark.postgres
def test_index_query_count_is_fixed(
    anonymous: Client, django_assert_num_queries: Any, no_seed: None
) -> None:
    tags = [TagFactory(name=f"T{n}") for n in range(3)]
    for _n in range(10):
        ArticleFactory(tags=tags)
    # count, page of articles, their tags, tag cloud
    with django_assert_num_queries(4):
        assert anonymous.get(reverse("guides:index")).status_code == 200
    for _n in range(10):
        ArticleFactory(tags=tags)
    with django_assert_num_queries(4):
        assert anonymous.get(reverse("guides:index") + "?page=2").status_code == 200


@pytest.mark.postgres
def test_tag_page_query_count_is_fixed(
    anonymous: Client, django_assert_num_queries: Any, no_seed: None
) -> None:
    tag = TagFactory(name="Visas")
    for _ in range(5):
        ArticleFactory(tags=[tag, TagFactory(name="Other")])
    # tag, count, page of articles, their tags, tag cloud
    with django_assert_num_queries(5):
        response = anonymous.get(reverse("guides:tag", args=["visas"]))
    assert response.status_code == 200
    for _ in range(5):
        ArticleFactory(tags=[tag])
    with django_assert_num_queries(5):
        anonymous.get(reverse("guides:tag", args=["visas"]))


def test_tag_page_shows_only_that_tag(anonymous: Client) -> None:
    html = anonymous.get(reverse("guides:tag", args=["letters"])).content.decode()
    assert "How and when to ask a preceptor for a letter of recommendation" in html
    assert "How SOAP works for IMGs" not in html
    assert 'aria-current="page"' in html
    assert anonymous.get(reverse("guides:tag", args=["no-such-tag"])).status_code == 404


def test_search_ranks_and_highlights(anonymous: Client) -> None:
    html = anonymous.get(reverse("guides:index"), {"q": "letter"}).content.decode()
    cards = re.findall(r'<a href="/guides/([a-z0-9-]+)/">', html)
    assert cards[0] == "asking-for-letters-of-recommendation"
    assert "<mark>letter</mark>" in html
    assert '<meta name="robots" content="noindex">' in html


def test_search_typo_offers_suggestion_and_popular(anonymous: Client) -> None:
    Article.objects.filter(slug="personal-statement-tips-img").update(view_count=50)
    html = anonymous.get(reverse("guides:index"), {"q": "sopa"}).content.decode()
    assert "No guide matches your search" in html
    assert 'Did you mean <a href="?q=soap"><strong>soap</strong></a>?' in html
    popular = html.split('id="popular-title"')[1]
    assert popular.index("Personal statement tips for IMGs") < popular.index("</section>")


def test_search_is_htmx_aware(anonymous: Client) -> None:
    response = anonymous.get(reverse("guides:index"), {"q": "soap"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "How <mark>SOAP</mark> works for IMGs" in html
    assert "HX-Request" in response["Vary"]


def test_search_escapes_the_query(anonymous: Client) -> None:
    html = anonymous.get(reverse("guides:index"), {"q": "<script>x</script>"}).content.decode()
    assert "<script>x" not in html
    assert "&lt;script&gt;" in html


# --- article page --------------------------------------------------------------------


def test_article_page_has_toc_meta_related_and_neighbours(anonymous: Client) -> None:
    url = reverse("guides:detail", args=["soap-for-imgs"])
    response = anonymous.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>How SOAP works for IMGs and how to prepare</h1>" in html
    assert '<nav class="guide-toc"' in html
    assert '<a href="#how-soap-fits-into-match-week">How SOAP fits into Match Week</a>' in html
    assert '<h2 id="how-soap-fits-into-match-week">' in html
    assert "Last updated" in html
    assert f'<link rel="canonical" href="{settings.SITE_URL}{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:url" content="{settings.SITE_URL}{url}">' in html
    assert '<meta property="og:title" content="How SOAP works for IMGs and how to prepare">' in html
    assert '<meta name="description" content="Match Week' not in html
    assert '<meta property="article:tag" content="SOAP">' in html
    assert "Related guides" in html
    assert 'rel="prev"' in html or 'rel="next"' in html
    assert "You have 45 applications" in html
    assert "Facts for season:" in html
    assert "current NRMP help item" in html
    assert 'type="checkbox"' in html
    assert "js/guides.js" in html


@pytest.mark.postgres
def test_related_articles_share_tags(anonymous: Client, no_seed: None) -> None:
    visas, usce, other = TagFactory(name="Visas"), TagFactory(name="USCE"), TagFactory(name="X")
    main = ArticleFactory(title="Main", tags=[visas, usce])
    both = ArticleFactory(title="Shares both", tags=[visas, usce],
                          published_at=timezone.now() - dt.timedelta(days=9))  # fmt: skip
    ArticleFactory(title="Shares one", tags=[usce])
    ArticleFactory(title="Shares none", tags=[other])
    _draft(title="Hidden draft", tags=[visas, usce])
    html = anonymous.get(main.get_absolute_url()).content.decode()
    related = html.split('id="related-title"')[1]
    assert related.index(both.title) < related.index("Shares one")
    assert "Shares none" not in related
    assert "Hidden draft" not in related


@pytest.mark.postgres
def test_previous_and_next_follow_publication_order(anonymous: Client, no_seed: None) -> None:
    now = timezone.now()
    old = ArticleFactory(title="Oldest", published_at=now - dt.timedelta(days=3))
    mid = ArticleFactory(title="Middle", published_at=now - dt.timedelta(days=2))
    new = ArticleFactory(title="Newest", published_at=now - dt.timedelta(days=1))
    html = anonymous.get(mid.get_absolute_url()).content.decode()
    assert re.search(rf'href="{old.get_absolute_url()}" rel="prev"', html)
    assert re.search(rf'href="{new.get_absolute_url()}" rel="next"', html)


@pytest.mark.postgres
def test_drafts_and_future_articles_are_hidden(
    anonymous: Client, applicant_client: Client, preceptor_client: Client
) -> None:
    draft = _draft(title="Secret draft", slug="secret-draft")
    future = ArticleFactory(
        title="Future piece",
        slug="future-piece",
        status=ArticleStatus.SCHEDULED,
        published_at=timezone.now() + dt.timedelta(days=1),
    )
    for client in (anonymous, applicant_client, preceptor_client):
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get(future.get_absolute_url()).status_code == 404
        index = client.get(reverse("guides:index")).content.decode()
        assert "Secret draft" not in index
        assert "Future piece" not in index
        found = client.get(reverse("guides:index"), {"q": "secret draft"}).content.decode()
        assert "Secret draft" not in found
        feed = client.get(reverse("guides:feed")).content.decode()
        assert "Secret draft" not in feed
        assert "Future piece" not in feed
        assert client.get(f"/api/v1/guides/{draft.slug}").status_code == 404


def test_scheduled_article_appears_when_due_without_the_job(anonymous: Client) -> None:
    article = ArticleFactory(
        title="Due now",
        status=ArticleStatus.SCHEDULED,
        published_at=timezone.now() - dt.timedelta(seconds=1),
    )
    assert anonymous.get(article.get_absolute_url()).status_code == 200


def test_coordinator_sees_drafts_with_a_banner(coordinator_client: Client) -> None:
    draft = _draft(title="Work in progress")
    html = coordinator_client.get(draft.get_absolute_url()).content.decode()
    assert "Draft. Only coordinators can see this article." in html
    assert '<meta name="robots" content="noindex">' in html
    assert reverse("guides:edit", args=[draft.pk]) in html


def test_article_view_is_counted(anonymous: Client) -> None:
    from matchway.guides.periodic import guides_flush_views

    anonymous.get(reverse("guides:detail", args=["soap-for-imgs"]))
    anonymous.get(reverse("guides:detail", args=["soap-for-imgs"]))
    guides_flush_views()
    assert Article.objects.get(slug="soap-for-imgs").view_count == 2


# --- feed and sitemap ----------------------------------------------------------------


def test_feed_is_valid_atom_with_absolute_links(anonymous: Client) -> None:
    response = anonymous.get(reverse("guides:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, not untrusted input
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    self_link = root.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None
    assert self_link.get("href") == f"{settings.SITE_URL}/guides/feed/"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 7
    for entry in entries:
        link = entry.find(f"{ATOM}link")
        assert link is not None
        href = link.get("href") or ""
        assert href.startswith(f"{settings.SITE_URL}/guides/")
        entry_id = entry.findtext(f"{ATOM}id")
        assert entry_id == href
        updated = entry.findtext(f"{ATOM}updated") or ""
        assert dt.datetime.fromisoformat(updated).tzinfo is not None
        assert entry.findtext(f"{ATOM}title")
        assert entry.findtext(f"{ATOM}summary")
        assert entry.find(f"{ATOM}author/{ATOM}name") is not None
    terms = {c.get("term") for c in root.iter(f"{ATOM}category")}
    assert {"SOAP", "USCE", "letters"} <= terms


def test_sitemap_lists_guides_with_site_url(anonymous: Client) -> None:
    _draft(slug="not-in-sitemap")
    xml = anonymous.get("/sitemap.xml").content.decode()
    assert f"<loc>{settings.SITE_URL}/guides/soap-for-imgs/</loc>" in xml
    assert f"<loc>{settings.SITE_URL}/guides/tag/usce/</loc>" in xml
    assert "not-in-sitemap" not in xml


# --- coordinator editing -------------------------------------------------------------


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Your first week on a US rotation",
        "slug": "",
        "summary": "What to expect in week one.",
        "body": "Intro.\n\n## Day one\n\nArrive early. {{eras.experiences.max_count}} experiences.",
        "tags": "USCE, onboarding",
        "status": "draft",
        "publish_at": "",
        "revision": "",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_previews_and_publishes(coordinator_client: Client) -> None:
    page = coordinator_client.get(reverse("guides:create")).content.decode()
    assert 'hx-post="/guides/manage/preview/"' in page
    assert "keyup changed delay:600ms" in page

    preview = coordinator_client.post(
        reverse("guides:preview"),
        {"title": "T", "body": "## Hello\n\n{{eras.experiences.max_count}} and {{eras.nope}}"},
        HTTP_HX_REQUEST="true",
    )
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "<html" not in html
    assert '<h2 id="hello">Hello</h2>' in html
    assert "10 and" in html
    assert "[unknown fact]" in html
    assert "eras.nope" in html

    created = coordinator_client.post(reverse("guides:create"), _form())
    article = Article.objects.get(slug="your-first-week-on-a-us-rotation")
    assert created.status_code == 302
    assert created["Location"] == reverse("guides:edit", args=[article.pk])
    assert article.status == ArticleStatus.DRAFT
    assert {t.name for t in article.tags.all()} == {"onboarding", "USCE"}

    edit_page = coordinator_client.get(reverse("guides:edit", args=[article.pk])).content.decode()
    assert 'value="your-first-week-on-a-us-rotation"' in edit_page
    assert "Arrive early. 10 experiences." in edit_page  # server-side preview

    published = coordinator_client.post(
        reverse("guides:edit", args=[article.pk]),
        _form(status="published", revision=article.revision, body="Now live."),
    )
    assert published.status_code == 302
    article.refresh_from_db()
    assert article.is_visible()
    assert Client().get(article.get_absolute_url()).status_code == 200
    assert AuditEvent.objects.filter(action="article.published", target_id=str(article.pk)).exists()


def test_coordinator_schedules(coordinator_client: Client) -> None:
    when = timezone.localtime(timezone.now() + dt.timedelta(days=3))
    when = when.replace(second=0, microsecond=0)
    response = coordinator_client.post(
        reverse("guides:create"),
        _form(status="scheduled", publish_at=when.strftime("%Y-%m-%dT%H:%M")),
    )
    assert response.status_code == 302
    article = Article.objects.get(slug="your-first-week-on-a-us-rotation")
    assert article.status == ArticleStatus.SCHEDULED
    assert article.published_at == when
    assert Client().get(article.get_absolute_url()).status_code == 404


def test_publish_with_a_future_date_asks_for_scheduled(coordinator_client: Client) -> None:
    later = timezone.localtime(timezone.now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = coordinator_client.post(
        reverse("guides:create"), _form(status="published", publish_at=later)
    )
    assert response.status_code == 422
    assert "choose “Scheduled” to publish later" in response.content.decode()


def test_article_page_follows_the_reference_data(anonymous: Client, eras_copy: Any) -> None:
    url = reverse("guides:detail", args=["strong-eras-application-img"])
    assert "up to 750 characters" in anonymous.get(url).content.decode()
    data = json.loads(eras_copy.read_text())
    data["experiences"]["description_max_chars"]["value"] = 1024
    data["experiences"]["description_max_chars"]["season"] = "ERAS 2099"
    eras_copy.write_text(json.dumps(data))
    stat = eras_copy.stat()
    os.utime(eras_copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    html = anonymous.get(url).content.decode()
    assert "up to 1,024 characters" in html
    assert "up to 750 characters" not in html
    assert "ERAS 2099" in html.split("Facts for season:")[1]


def test_invalid_form_keeps_what_was_typed(coordinator_client: Client) -> None:
    response = coordinator_client.post(
        reverse("guides:create"),
        _form(slug="soap-for-imgs", status="scheduled", body="My careful text."),
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Another article already uses this address." in html
    assert "Pick the date and time to publish." in html
    assert "My careful text." in html


def test_stale_edit_is_refused_and_text_kept(coordinator_client: Client) -> None:
    article = Article.objects.get(slug="soap-for-imgs")
    data = _form(title=article.title, summary=article.summary, body="Edited by me.",
                 revision=article.revision - 1 if article.revision > 1 else 99)  # fmt: skip
    response = coordinator_client.post(reverse("guides:edit", args=[article.pk]), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Someone else saved this article" in html
    assert "Edited by me." in html
    assert Article.objects.get(pk=article.pk).body != "Edited by me."


def test_manage_lists_every_status(coordinator_client: Client) -> None:
    _draft(title="A draft to finish")
    html = coordinator_client.get(reverse("guides:manage")).content.decode()
    assert "A draft to finish" in html
    assert "How SOAP works for IMGs" in html
    drafts = coordinator_client.get(reverse("guides:manage"), {"status": "draft"}).content.decode()
    assert "A draft to finish" in drafts
    assert "How SOAP works for IMGs" not in drafts


@pytest.mark.parametrize("name", ["guides:manage", "guides:create"])
def test_editor_pages_are_for_coordinators_only(
    name: str, applicant_client: Client, preceptor_client: Client, anonymous: Client
) -> None:
    assert applicant_client.get(reverse(name)).status_code == 403
    assert preceptor_client.get(reverse(name)).status_code == 403
    assert anonymous.get(reverse(name)).status_code == 302


def test_preview_is_for_coordinators_only(applicant_client: Client) -> None:
    assert applicant_client.post(reverse("guides:preview"), {"body": "x"}).status_code == 403


def test_tag_slugs_stay_stable(coordinator_client: Client) -> None:
    coordinator_client.post(reverse("guides:create"), _form(tags="IMG Challenges, Brand New Tag"))
    assert Tag.objects.filter(name__iexact="IMG challenges").count() == 1
    assert Tag.objects.get(name="Brand New Tag").slug == "brand-new-tag"
