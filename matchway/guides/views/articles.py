from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role
from matchway.core.decorators import role_required
from matchway.core.exceptions import ValidationFailed
from matchway.core.forms import form_add_errors
from matchway.core.htmx import render_page_or_partial
from matchway.core.links import absolute_url

from ..forms import BODY_MAX_CHARS, ArticleForm
from ..models import Article, ArticleStatus, Tag
from ..rendering import render_markdown, season_labels
from ..search import MAX_QUERY_CHARS, summary_excerpt
from ..selectors import (
    article_adjacent,
    article_get_for_edit,
    article_get_for_user,
    article_list_for_tag,
    article_list_manage,
    article_list_visible,
    article_popular,
    article_related,
    article_search,
    article_status_counts,
    is_editor,
    tag_list_with_counts,
)
from ..services import article_create, article_render, article_update, article_view_record

PER_PAGE = 10
SEARCH_PER_PAGE = 10


def _cards(articles: list[Article]) -> list[dict[str, Any]]:
    return [{"article": a, "excerpt": summary_excerpt(a.summary)} for a in articles]


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """All guides, newest first; with `?q=` the ranked search results instead."""
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_CHARS]
    context: dict[str, Any] = {"query": query, "tags": tag_list_with_counts()}
    if query:
        result, by_slug = article_search(query)
        hits = Paginator(result.hits, SEARCH_PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            page=hits,
            results=[{"hit": hit, "article": by_slug[hit.document.key]} for hit in hits],
            suggestion=result.suggestion,
            popular=[] if result.hits else _cards(article_popular()),
            pager_query=urlencode({"q": query}),
        )
    else:
        articles = Paginator(article_list_visible(), PER_PAGE).get_page(request.GET.get("page"))
        context.update(page=articles, cards=_cards(list(articles)), pager_query="")
    response = render_page_or_partial(
        request, "guides/article_list.html", context, partial="results"
    )
    # The same URL answers with a page or a fragment: shared caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def tag(request: HttpRequest, tag: str) -> HttpResponse:
    current = get_object_or_404(Tag, slug=tag)
    page = Paginator(article_list_for_tag(current), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "guides/article_tag.html",
        {"tag": current, "page": page, "cards": _cards(list(page)), "tags": tag_list_with_counts()},
    )


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = article_get_for_user(user=request.user, slug=slug)
    if article is None:
        raise Http404
    rendered = article_render(article)
    previous, following = article_adjacent(article)
    visible = article.is_visible()
    if visible and not is_editor(request.user):
        article_view_record(article)
    return render(
        request,
        "guides/article_detail.html",
        {
            "article": article,
            "body_html": rendered.html,
            "toc": rendered.toc,
            "facts": [_fact_row(f) for f in rendered.facts],
            "seasons": season_labels(rendered.facts),
            "related": article_related(article),
            "previous": previous,
            "next": following,
            "is_visible": visible,
            "canonical_url": absolute_url(article.get_absolute_url()),
            "tags": list(article.tags.all()),
        },
    )


def _fact_row(fact: dict[str, str]) -> dict[str, str]:
    """A season fact for the "where the numbers come from" table."""
    source = fact.get("source", "")
    parts = urlsplit(source)
    is_web = parts.scheme in ("http", "https") and bool(parts.netloc)
    label = fact.get("path", "").replace("_", " ").replace(".", " › ")
    return {
        **fact,
        "label": label[:1].upper() + label[1:],
        "source_url": source if is_web else "",
        "source_host": parts.netloc.removeprefix("www.") if is_web else "",
    }


@role_required(Role.COORDINATOR)
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in ArticleStatus.values else ""
    page = Paginator(article_list_manage(status), 25).get_page(request.GET.get("page"))
    counts = article_status_counts()
    return render(
        request,
        "guides/article_manage.html",
        {
            "page": page,
            "status": status,
            "statuses": [(value, label, counts[value]) for value, label in ArticleStatus.choices],
            "total": sum(counts.values()),
            "pager_query": f"status={status}" if status else "",
        },
    )


def _form_page(
    request: HttpRequest, form: ArticleForm, article: Article | None, status: int = 200
) -> HttpResponse:
    if form.is_bound:
        body = str(form.data.get("body", ""))[:BODY_MAX_CHARS]
    else:
        body = article.body if article else ""
    preview = render_markdown(body) if body.strip() else None
    values = form.data if form.is_bound else form.initial
    context = {
        "form": form,
        "article": article,
        "preview": preview,
        "preview_title": str(values.get("title", "") or ""),
        "preview_summary": str(values.get("summary", "") or ""),
    }
    return render(request, "guides/article_form.html", context, status=status)


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ArticleForm(request.POST)
        if form.is_valid():
            try:
                article = article_create(
                    actor=current_user(request), data=form.to_input(), request=request
                )
            except ValidationFailed as exc:
                form_add_errors(form, exc)
            else:
                messages.success(request, _status_message(article))
                return redirect("guides:edit", pk=article.pk)
        return _form_page(request, form, None, status=422)
    return _form_page(request, ArticleForm(), None)


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = article_get_for_edit(pk)
    if article is None:
        raise Http404
    if request.method == "POST":
        form = ArticleForm(request.POST, article=article)
        if form.is_valid():
            try:
                article = article_update(
                    actor=current_user(request),
                    article=article,
                    data=form.to_input(),
                    expected_revision=form.cleaned_data.get("revision") or 0,
                    request=request,
                )
            except ValidationFailed as exc:
                form_add_errors(form, exc)
            else:
                messages.success(request, _status_message(article))
                return redirect("guides:edit", pk=article.pk)
        return _form_page(request, form, article, status=422)
    return _form_page(request, ArticleForm(article=article), article)


def _status_message(article: Article) -> str:
    if article.status == ArticleStatus.SCHEDULED and not article.is_visible():
        return _("Saved. “%(title)s” is scheduled.") % {"title": article.title}
    if article.is_visible():
        return _("Saved. “%(title)s” is published.") % {"title": article.title}
    return _("Saved as a draft. Only coordinators can see “%(title)s”.") % {"title": article.title}


@role_required(Role.COORDINATOR)
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """htmx: the editor's live preview (HTML fragment). Unknown season facts show a marker."""
    body = request.POST.get("body", "")[:BODY_MAX_CHARS]
    rendered = render_markdown(body) if body.strip() else None
    context = {
        "preview": rendered,
        "preview_title": request.POST.get("title", "")[:200],
        "preview_summary": request.POST.get("summary", "")[:300],
    }
    return render(request, "guides/article_form.html#preview", context)
