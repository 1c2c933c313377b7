from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from matchway.core import clock

from .models import Article, ArticleStatus, Tag
from .services import (
    MSG_SCHEDULE_IN_PAST,
    MSG_SCHEDULE_MISSING,
    MSG_SLUG_TAKEN,
    RESERVED_SLUGS,
    ArticleInput,
)

BODY_MAX_CHARS = 100_000

MSG_PUBLISH_IN_FUTURE = _("This date is in the future: choose “Scheduled” to publish later.")

STATUS_CHOICES = [
    (ArticleStatus.DRAFT, _("Draft — only coordinators can see it")),
    (ArticleStatus.PUBLISHED, _("Published — visible to everyone now")),
    (ArticleStatus.SCHEDULED, _("Scheduled — visible from the date below")),
]


def _preview_attrs(rows: int | None = None) -> dict[str, Any]:
    """htmx live preview: post the whole form shortly after the author stops typing."""
    attrs: dict[str, Any] = {
        "hx-post": reverse("guides:preview"),
        "hx-trigger": "keyup changed delay:600ms, change",
        "hx-target": "#article-preview",
        "hx-include": "closest form",
        "hx-sync": "closest form:replace",
        "hx-indicator": "#preview-indicator",
    }
    if rows:
        attrs["rows"] = rows
    return attrs


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Address"),
        max_length=120,
        required=False,
        help_text=_("The last part of the link, /guides/<address>/. Empty: made from the title."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences (at most 300 characters) for lists, search and links."),
    )
    body = forms.CharField(
        label=_("Article (Markdown)"),
        max_length=BODY_MAX_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"class": "markdown-input"}),
        help_text=_(
            "## and ### for sections, - [ ] for checklist items, [text](https://…) for links. "
            "Season facts: {{eras.personal_statement.max_chars}}."
        ),
    )
    tags = forms.CharField(
        label=_("Tags"),
        max_length=500,
        required=False,
        help_text=_("Separate with commas."),
    )
    status = forms.ChoiceField(
        label=_("Visibility"),
        choices=STATUS_CHOICES,
        widget=forms.RadioSelect,
        initial=ArticleStatus.DRAFT,
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, article: Article | None = None, **kwargs: Any) -> None:
        self.article = article
        if article is not None and not kwargs.get("initial") and not args:
            kwargs["initial"] = self.initial_for(article)
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs.update(_preview_attrs())
        self.fields["summary"].widget.attrs.update(_preview_attrs(rows=3))
        self.fields["body"].widget.attrs.update(_preview_attrs(rows=22))
        if article is not None:
            self.fields["slug"].help_text = _(
                "The last part of the link, /guides/<address>/. Changing it breaks old links."
            )
        known = ", ".join(Tag.objects.order_by("name").values_list("name", flat=True))
        if known:
            self.fields["tags"].help_text = _("Separate with commas. In use: %(tags)s.") % {
                "tags": known
            }
        zone = timezone.get_current_timezone_name()
        self.fields["publish_at"].help_text = _(
            "Your time zone (%(zone)s). Needed for “Scheduled”; for “Published” it may set "
            "an earlier date."
        ) % {"zone": zone}

    @staticmethod
    def initial_for(article: Article) -> dict[str, Any]:
        publish_at = article.published_at
        return {
            "title": article.title,
            "slug": article.slug,
            "summary": article.summary,
            "body": article.body,
            "tags": ", ".join(t.name for t in article.tags.all()),
            "status": article.status,
            "publish_at": timezone.localtime(publish_at) if publish_at else None,
            "revision": article.revision,
        }

    def clean_tags(self) -> list[str]:
        raw: str = self.cleaned_data.get("tags", "")
        names = [" ".join(part.split()) for part in raw.split(",")]
        return list(dict.fromkeys(n[:60] for n in names if n))

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data.get("slug", "")
        return slug.lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        slug = data.get("slug") or (
            self.article.slug
            if self.article is not None
            else slugify(data.get("title") or "")[:120].strip("-")
        )
        if slug:
            taken = Article.objects.filter(slug=slug)
            if self.article is not None:
                taken = taken.exclude(pk=self.article.pk)
            if slug in RESERVED_SLUGS or taken.exists():
                self.add_error("slug" if data.get("slug") else "title", MSG_SLUG_TAKEN)
        if data.get("status") == ArticleStatus.PUBLISHED:
            publish_at = data.get("publish_at")
            if publish_at is not None and publish_at > clock.now():
                self.add_error("publish_at", MSG_PUBLISH_IN_FUTURE)
        if data.get("status") == ArticleStatus.SCHEDULED:
            publish_at = data.get("publish_at")
            if publish_at is None:
                self.add_error("publish_at", MSG_SCHEDULE_MISSING)
            elif publish_at <= clock.now():
                self.add_error("publish_at", MSG_SCHEDULE_IN_PAST)
        return data

    def to_input(self) -> ArticleInput:
        data = self.cleaned_data
        return ArticleInput(
            title=data["title"],
            slug=data.get("slug") or "",
            summary=data["summary"],
            body=data["body"],
            tags=data.get("tags") or [],
            status=data["status"],
            publish_at=data.get("publish_at"),
        )
