"""Statement pages: owner flows, isolation (outsider 404 everywhere), reviewer links, exports."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from matchway.core.models import AuditEvent
from matchway.statements import services
from matchway.statements.models import (
    ReviewComment,
    ReviewInvitation,
    Statement,
    StatementVersion,
    VersionSource,
)
from matchway.statements.services import checks, exports

pytestmark = pytest.mark.django_db

SECRET_V2 = "A sentence that only exists in the second version."
TEXT = (
    "Since I was a child I have had a passion for medicine. During my observership in "
    "internal medicine I presented new admissions on rounds.\n\n"
    "My preceptor taught me to explain each plan to the family in plain words."
)


@pytest.fixture
def statement(applicant: Any) -> Statement:
    return services.statement_create(actor=applicant, title="Private title IM", body=TEXT)


@pytest.fixture
def invited(
    applicant: Any,
    statement: Statement,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> tuple[ReviewInvitation, str]:
    """Version 1 shared with a reviewer; version 2 (not shared) holds SECRET_V2."""
    version = statement.versions.get(number=1)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.review_invitation_create(
            actor=applicant, version=version, email="rev@example.com", name="Dr. Rivera"
        )
    services.statement_save(
        actor=applicant,
        statement=statement,
        body=TEXT + "\n\n" + SECRET_V2,
        source=VersionSource.MANUAL,
    )
    link = re.search(r"https?://\S+/statements/review/(\S+)/", mailoutbox[-1].body)
    assert link
    return invitation, link.group(1)


def review_url(token: str) -> str:
    return reverse("statements:review", args=[token])


# --- list and create ------------------------------------------------------------------------


def test_list_empty_state_links_to_create(applicant_client: Client) -> None:
    response = applicant_client.get(reverse("statements:list"))
    assert response.status_code == 200
    assert b"No personal statement yet" in response.content
    assert reverse("statements:create").encode() in response.content


def test_list_query_count_does_not_grow_with_statements(
    applicant: Any, applicant_client: Client, django_assert_num_queries: Any
) -> None:
    services.statement_create(actor=applicant, title="One", body="Text one.")
    applicant_client.get(reverse("statements:list"))  # warm caches (session, site)
    # +1: the session row (sessions live in the database, see docs/dev/sessions-and-limits.md)
    with django_assert_num_queries(3):
        response = applicant_client.get(reverse("statements:list"))
    assert b"One" in response.content
    for n in range(5):
        services.statement_create(actor=applicant, title=f"More {n}", body=f"Text {n}.")
    # +1: the session row (sessions live in the database, see docs/dev/sessions-and-limits.md)
    with django_assert_num_queries(3):
        response = applicant_client.get(reverse("statements:list"))
    assert b"More 4" in response.content


def test_create_form_keeps_input_on_error_and_creates(
    applicant_client: Client, reference_data: None
) -> None:
    url = reverse("statements:create")
    bad = applicant_client.post(url, {"title": "", "body": "My draft text."})
    assert bad.status_code == 422
    assert b"My draft text." in bad.content
    good = applicant_client.post(
        url, {"title": "General", "specialty": "140", "body": "My draft text."}
    )
    statement = Statement.objects.get(title="General")
    assert good["Location"] == reverse("statements:editor", args=[statement.pk])
    assert statement.specialty_id == "140"
    assert statement.versions.get().body == "My draft text."


def test_other_roles_get_403(preceptor_client: Client, coordinator_client: Client) -> None:
    for client in (preceptor_client, coordinator_client):
        assert client.get(reverse("statements:list")).status_code == 403


# --- isolation --------------------------------------------------------------------------------


def _owner_urls(statement: Statement, invitation: ReviewInvitation) -> list[tuple[str, str]]:
    comment = ReviewComment.objects.create(
        invitation=invitation, version=invitation.version, author_name="R", body="c"
    )
    pk = statement.pk
    get = [
        reverse(name, args=[pk])
        for name in (
            "statements:editor",
            "statements:settings",
            "statements:analysis",
            "statements:versions",
            "statements:compare",
            "statements:export",
            "statements:export-text",
            "statements:export-pdf",
            "statements:reviews",
        )
    ] + [
        reverse("statements:version", args=[pk, 1]),
        reverse("statements:invite", args=[pk, 1]),
    ]
    post = [
        reverse(name, args=[pk])
        for name in (
            "statements:autosave",
            "statements:save",
            "statements:normalize",
            "statements:duplicate",
            "statements:archive",
            "statements:unarchive",
            "statements:settings",
        )
    ] + [
        reverse("statements:version-restore", args=[pk, 1]),
        reverse("statements:invite", args=[pk, 1]),
        reverse("statements:invitation-revoke", args=[pk, invitation.pk]),
        reverse("statements:invitation-resend", args=[pk, invitation.pk]),
        reverse("statements:comment-resolve", args=[pk, comment.pk]),
        reverse("statements:comment-reopen", args=[pk, comment.pk]),
    ]
    return [("get", u) for u in get] + [("post", u) for u in post]


def test_outsider_gets_404_on_every_statement_url(
    outsider_client: Client,
    statement: Statement,
    invited: tuple[ReviewInvitation, str],
) -> None:
    invitation, _token = invited
    before = (StatementVersion.objects.count(), ReviewInvitation.objects.count())
    for method, url in _owner_urls(statement, invitation):
        response = getattr(outsider_client, method)(
            url, {"body": "hijack", "email": "x@example.com", "name": "X", "days": 7}
        )
        assert response.status_code == 404, (method, url, response.status_code)
    assert (StatementVersion.objects.count(), ReviewInvitation.objects.count()) == before
    statement.refresh_from_db()
    assert statement.archived_at is None


def test_outsider_cannot_reach_another_statements_invitation_or_comment(
    applicant: Any,
    applicant_client: Client,
    statement: Statement,
    invited: tuple[ReviewInvitation, str],
) -> None:
    invitation, _token = invited
    comment = ReviewComment.objects.create(
        invitation=invitation, version=invitation.version, author_name="R", body="c"
    )
    other = services.statement_create(actor=applicant, title="Other", body="Other text.")
    # The owner's own second statement must not reach the first one's objects either.
    for url in (
        reverse("statements:invitation-revoke", args=[other.pk, invitation.pk]),
        reverse("statements:comment-resolve", args=[other.pk, comment.pk]),
        reverse("statements:version", args=[other.pk, 2]),
    ):
        method = applicant_client.get if "version" in url else applicant_client.post
        assert method(url).status_code == 404, url


# --- the editor -----------------------------------------------------------------------------


def test_editor_shows_findings_in_place_and_in_a_list(
    applicant_client: Client, statement: Statement
) -> None:
    response = applicant_client.get(reverse("statements:editor", args=[statement.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'hx-trigger="keyup changed delay:1500ms' in html
    assert re.search(r'<mark class="finding finding-warning" id="finding-\d+"', html)
    assert "Cliché" in html or "clich" in html.lower()
    assert "Outline helper" in html
    assert "Why this specialty" in html
    assert 'href="#finding-' in html


def test_editor_measures_length_in_characters_and_shows_a_page_range(
    applicant: Any, applicant_client: Client
) -> None:
    paragraph = "I presented new admissions on rounds and followed each plan through. " * 16
    body = "\n\n".join([paragraph.strip()] * 4)
    statement = services.statement_create(actor=applicant, title="Length", body=body)
    html = applicant_client.get(reverse("statements:editor", args=[statement.pk])).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert len(body) == 4_418
    assert "4,418 of 28,000 characters (ERAS limit)" in text
    assert "about 1–1.5 pages" in text
    assert "Printed pages" not in text
    assert "ERAS counts characters, not words or pages" in text


def test_autosave_creates_then_coalesces_and_answers_a_partial(
    applicant_client: Client, statement: Statement
) -> None:
    url = reverse("statements:autosave", args=[statement.pk])
    first = applicant_client.post(url, {"body": TEXT + " A", "base": 1}, HTTP_HX_REQUEST="true")
    assert first.status_code == 200
    html = first.content.decode()
    assert 'id="save-status"' in html
    assert "version 2" in html
    assert 'id="id_base"' in html
    assert 'hx-swap-oob="true"' in html
    assert 'id="analysis"' in html
    assert "statement-saved" in first["HX-Trigger"]
    second = applicant_client.post(url, {"body": TEXT + " AB", "base": 2}, HTTP_HX_REQUEST="true")
    assert second.status_code == 200
    assert list(statement.versions.values_list("number", flat=True).order_by("number")) == [1, 2]
    assert statement.versions.get(number=2).body.endswith(" AB")


def test_autosave_errors_keep_the_text_and_say_why(
    applicant: Any, applicant_client: Client, statement: Statement
) -> None:
    url = reverse("statements:autosave", args=[statement.pk])
    too_long = "x" * (services.MAX_BODY_CHARS + 1)
    response = applicant_client.post(url, {"body": too_long, "base": 1}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert b"Your text is still here" in response.content
    services.statement_archive(actor=applicant, statement=statement)
    response = applicant_client.post(url, {"body": "new", "base": 1}, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert b"archived" in response.content
    assert statement.versions.count() == 1


def test_manual_save_without_javascript_and_its_error_page(
    applicant_client: Client, statement: Statement
) -> None:
    url = reverse("statements:save", args=[statement.pk])
    response = applicant_client.post(url, {"body": TEXT + " more", "base": 1})
    assert response.status_code == 302
    assert statement.versions.get(number=2).source == VersionSource.MANUAL
    typed = "y" * (services.MAX_BODY_CHARS + 5)
    response = applicant_client.post(url, {"body": typed, "base": 2})
    assert response.status_code == 422
    assert typed.encode() in response.content  # nothing typed is lost


def test_normalize_shows_what_changed(applicant_client: Client, statement: Statement) -> None:
    body = "It\u2019s a \u201cgood\u201d plan \u2014 truly."
    response = applicant_client.post(
        reverse("statements:normalize", args=[statement.pk]), {"body": body, "base": 1}
    )
    assert response.status_code == 302
    assert "?changes=3" in response["Location"]
    page = applicant_client.get(response["Location"])
    html = page.content.decode()
    assert "characters changed for ERAS plain text" in html
    assert "<del>\u201c</del><ins>&quot;</ins>" in html
    assert "It&#x27;s a &quot;good&quot; plan -- truly." in html  # the editor has the new text


def test_compare_shows_a_word_diff(
    applicant: Any, applicant_client: Client, statement: Statement
) -> None:
    services.statement_save(
        actor=applicant,
        statement=statement,
        body=TEXT.replace("plain words", "simple words"),
        source=VersionSource.MANUAL,
    )
    response = applicant_client.get(reverse("statements:compare", args=[statement.pk]))
    html = response.content.decode()
    assert "<del>plain</del><ins>simple</ins>" in html
    explicit = applicant_client.get(reverse("statements:compare", args=[statement.pk]) + "?a=2&b=1")
    assert explicit.status_code == 200
    missing = applicant_client.get(reverse("statements:compare", args=[statement.pk]) + "?a=1&b=9")
    assert missing.status_code == 404


def test_versions_page_and_restore(
    applicant: Any, applicant_client: Client, statement: Statement
) -> None:
    services.statement_save(
        actor=applicant, statement=statement, body="Second.", source=VersionSource.MANUAL
    )
    page = applicant_client.get(reverse("statements:versions", args=[statement.pk]))
    assert page.status_code == 200
    assert b"Version 2" in page.content
    response = applicant_client.post(reverse("statements:version-restore", args=[statement.pk, 1]))
    assert response.status_code == 302
    assert statement.versions.get(number=3).body == TEXT


def test_list_actions_duplicate_archive_unarchive(
    applicant_client: Client, statement: Statement
) -> None:
    response = applicant_client.post(reverse("statements:duplicate", args=[statement.pk]))
    copy = Statement.objects.exclude(pk=statement.pk).get()
    assert response["Location"] == reverse("statements:editor", args=[copy.pk])
    applicant_client.post(reverse("statements:archive", args=[statement.pk]))
    listing = applicant_client.get(reverse("statements:list")).content.decode()
    assert "Copy of Private title IM" in listing
    assert ">Private title IM<" not in listing
    archived = applicant_client.get(reverse("statements:list") + "?archived=1").content.decode()
    assert "Private title IM" in archived
    applicant_client.post(reverse("statements:unarchive", args=[statement.pk]))
    statement.refresh_from_db()
    assert statement.archived_at is None


def test_analysis_status_polls_as_partial_and_renders_a_page(
    applicant_client: Client, statement: Statement
) -> None:
    url = reverse("statements:analysis", args=[statement.pk])
    partial = applicant_client.get(url, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert partial.content.lstrip().startswith(b"<section")
    page = applicant_client.get(url)
    assert b"<html" in page.content
    assert b"Back to the editor" in page.content


def test_long_text_shows_polling_until_the_task_result_is_stored(
    applicant_client: Client, statement: Statement, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checks, "SYNC_ANALYSIS_MAX_CHARS", 10)
    page = applicant_client.get(reverse("statements:editor", args=[statement.pk]))
    assert b'hx-trigger="every 2s"' in page.content
    # ImmediateBackend ran the task when the request committed: the poll gets the result.
    poll = applicant_client.get(
        reverse("statements:analysis", args=[statement.pk]), HTTP_HX_REQUEST="true"
    )
    assert b"every 2s" not in poll.content
    assert b"finding" in poll.content


# --- export ---------------------------------------------------------------------------------


def test_export_text_is_normalized(
    applicant: Any, applicant_client: Client, statement: Statement
) -> None:
    services.statement_save(
        actor=applicant,
        statement=statement,
        body="I\u2019m ready \u2014 truly.",
        source=VersionSource.MANUAL,
    )
    response = applicant_client.get(reverse("statements:export-text", args=[statement.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert 'filename="private-title-im.txt"' in response["Content-Disposition"]
    assert response.content.decode() == "I'm ready -- truly.\n"
    assert AuditEvent.objects.filter(action="statement.exported", data__format="text").exists()


def test_export_page_warns_over_the_limit(
    applicant: Any, applicant_client: Client, statement: Statement, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok = applicant_client.get(reverse("statements:export", args=[statement.pk]))
    assert b"within the ERAS limit" in ok.content
    monkeypatch.setattr(exports, "statement_max_chars", lambda: 50)
    over = applicant_client.get(reverse("statements:export", args=[statement.pk]))
    assert b"Too long for ERAS." in over.content


def test_export_pdf_is_letter_and_has_the_text(
    applicant: Any, applicant_client: Client, statement: Statement
) -> None:
    services.statement_save(
        actor=applicant,
        statement=statement,
        body="Dr. Nguy\u1ec5n taught me \u201cwhy\u201d.\n\n" + TEXT,
        source=VersionSource.MANUAL,
    )
    response = applicant_client.get(reverse("statements:export-pdf", args=[statement.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "explain each plan" in " ".join(text.split())
    assert "Version 2" in text
    assert '"why"' in text  # normalized first: straight quotes
    assert reader.metadata
    assert reader.metadata.title == "Private title IM"


def test_export_of_an_empty_statement_is_404(applicant: Any, applicant_client: Client) -> None:
    empty = services.statement_create(actor=applicant, title="Empty")
    assert (
        applicant_client.get(reverse("statements:export-pdf", args=[empty.pk])).status_code == 404
    )
    page = applicant_client.get(reverse("statements:export", args=[empty.pk]))
    assert b"Nothing to export yet" in page.content


# --- reviewers -------------------------------------------------------------------------------


def test_invite_form_sends_and_lists_the_invitation(
    applicant_client: Client, statement: Statement, mailoutbox: list[Any]
) -> None:
    url = reverse("statements:invite", args=[statement.pk, 1])
    bad = applicant_client.post(url, {"email": "", "name": "", "days": 14})
    assert bad.status_code == 422
    response = applicant_client.post(
        url, {"email": "mentor@example.com", "name": "Dr. Mentor", "message": "Opening?", "days": 7}
    )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    (mail,) = mailoutbox
    assert "Opening?" in mail.body
    assert "Private title IM" not in mail.body
    reviews = applicant_client.get(reverse("statements:reviews", args=[statement.pk]))
    assert b"Dr. Mentor" in reviews.content


def test_invite_offers_the_applicants_preceptors(
    applicant: Any, applicant_client: Client, preceptor: Any, statement: Statement
) -> None:
    from matchway.experience.tests.factories import completed_application

    completed_application(applicant=applicant, preceptors=[preceptor])
    page = applicant_client.get(reverse("statements:invite", args=[statement.pk, 1]))
    assert preceptor.full_name.encode() in page.content
    response = applicant_client.post(
        reverse("statements:invite", args=[statement.pk, 1]),
        {"reviewer": preceptor.pk, "days": 14},
    )
    assert response.status_code == 302
    assert ReviewInvitation.objects.get().reviewer == preceptor


def test_reviewer_sees_only_the_invited_version_without_an_account(
    anonymous: Client, invited: tuple[ReviewInvitation, str]
) -> None:
    invitation, token = invited
    response = anonymous.get(review_url(token))
    html = response.content.decode()
    assert response.status_code == 200
    assert "explain each plan" in html
    assert SECRET_V2 not in html  # version 2 was never shared
    assert "Private title IM" not in html  # the private title stays private
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    invitation.refresh_from_db()
    assert invitation.first_viewed_at is not None
    assert AuditEvent.objects.filter(action="statement_review.viewed").count() == 1


def test_reviewer_comments_by_selection_and_by_pasted_quote(
    anonymous: Client, invited: tuple[ReviewInvitation, str]
) -> None:
    invitation, token = invited
    start = TEXT.index("presented")
    end = start + len("presented new admissions")
    response = anonymous.post(
        review_url(token),
        {"quote": "presented new admissions", "start": start, "end": end, "body": "Say more."},
    )
    assert response.status_code == 302
    anonymous.post(review_url(token), {"quote": "explain each plan", "body": "Good."})
    missing = anonymous.post(review_url(token), {"quote": "not in the text", "body": "?"})
    assert missing.status_code == 422
    assert b"not in the text" in missing.content  # what they typed is kept
    comments = list(invitation.comments.order_by("pk"))
    assert [(c.anchor_start, c.author_name) for c in comments] == [
        (start, "Dr. Rivera"),
        (TEXT.index("explain each plan"), "Dr. Rivera"),
    ]
    page = anonymous.get(review_url(token)).content.decode()
    assert f'id="c-{comments[0].pk}"' in page


def test_reviewer_does_not_see_other_reviewers_comments(
    applicant: Any,
    anonymous: Client,
    statement: Statement,
    invited: tuple[ReviewInvitation, str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    invitation, token = invited
    with django_capture_on_commit_callbacks(execute=True):
        other = services.review_invitation_create(
            actor=applicant, version=invitation.version, email="o@example.com", name="Other"
        )
    services.review_comment_add(invitation=other, author=None, body="Other reviewer's note")
    page = anonymous.get(review_url(token)).content.decode()
    assert "Other reviewer&#x27;s note" not in page
    assert "Other reviewer's note" not in page


@pytest.mark.parametrize("case", ["tampered", "expired", "revoked", "garbage"])
def test_bad_review_links_get_one_neutral_404(
    case: str,
    applicant: Any,
    anonymous: Client,
    invited: tuple[ReviewInvitation, str],
) -> None:
    invitation, token = invited
    if case == "tampered":
        token = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    elif case == "expired":
        ReviewInvitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    elif case == "revoked":
        services.review_invitation_revoke(actor=applicant, invitation=invitation)
    else:
        token = "x" * 300
    response = anonymous.get(review_url(token))
    assert response.status_code == 404
    assert b"This review link is not valid" in response.content
    assert b"explain each plan" not in response.content
    posted = anonymous.post(review_url(token), {"body": "late comment"})
    assert posted.status_code == 404
    assert anonymous.post(reverse("statements:review-done", args=[token])).status_code == 404
    assert not ReviewComment.objects.filter(body="late comment").exists()


def test_reviewer_done_notifies_the_applicant(
    anonymous: Client, invited: tuple[ReviewInvitation, str], mailoutbox: list[Any]
) -> None:
    invitation, token = invited
    anonymous.post(review_url(token), {"quote": "", "body": "Overall strong."})
    response = anonymous.post(reverse("statements:review-done", args=[token]))
    assert response.status_code == 302
    assert mailoutbox[-1].to == ["alice@example.com"]
    invitation.refresh_from_db()
    assert invitation.completed_at is not None


def test_signed_in_reviewer_finds_the_review_and_others_get_404(
    applicant: Any,
    preceptor: Any,
    preceptor_client: Client,
    coordinator_client: Client,
    statement: Statement,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.review_invitation_create(
            actor=applicant,
            version=statement.versions.get(number=1),
            reviewer=preceptor,
        )
    listing = preceptor_client.get(reverse("statements:review-requests"))
    assert b"Alice Adeyemi" in listing.content
    url = reverse("statements:review-signed-in", args=[invitation.pk])
    assert preceptor_client.get(url).status_code == 200
    assert preceptor_client.post(url, {"body": "From the preceptor"}).status_code == 302
    comment = ReviewComment.objects.get()
    assert comment.author == preceptor
    assert comment.author_name == preceptor.full_name
    assert coordinator_client.get(url).status_code == 404
    assert coordinator_client.post(url, {"body": "x"}).status_code == 404
    dashboard = preceptor_client.get(reverse("dashboard"))
    assert b"Personal statements to review" in dashboard.content


def test_applicant_resolves_and_sees_reanchored_comments(
    applicant: Any,
    applicant_client: Client,
    statement: Statement,
    invited: tuple[ReviewInvitation, str],
) -> None:
    invitation, _token = invited
    kept = services.review_comment_add(
        invitation=invitation, author=None, body="Keep", quote="explain each plan"
    )
    gone = services.review_comment_add(
        invitation=invitation, author=None, body="Cut", quote="passion for medicine"
    )
    services.statement_save(
        actor=applicant,
        statement=statement,
        body="My preceptor taught me to explain each plan clearly.",
        source=VersionSource.MANUAL,
    )
    page = applicant_client.get(reverse("statements:reviews", args=[statement.pk]))
    html = page.content.decode()
    assert "text no longer in the draft" in html
    assert f'<mark class="comment-mark" id="c-{kept.pk}"' in html
    editor = applicant_client.get(reverse("statements:editor", args=[statement.pk]))
    assert b"2 open comments" in editor.content
    response = applicant_client.post(
        reverse("statements:comment-resolve", args=[statement.pk, gone.pk]), {"next": "editor"}
    )
    assert response["Location"] == reverse("statements:editor", args=[statement.pk])
    gone.refresh_from_db()
    assert gone.resolved_by == applicant


def test_revoke_from_the_reviews_page_kills_the_link(
    applicant_client: Client,
    anonymous: Client,
    statement: Statement,
    invited: tuple[ReviewInvitation, str],
) -> None:
    invitation, token = invited
    assert anonymous.get(review_url(token)).status_code == 200
    applicant_client.post(
        reverse("statements:invitation-revoke", args=[statement.pk, invitation.pk])
    )
    assert anonymous.get(review_url(token)).status_code == 404


# --- dashboard --------------------------------------------------------------------------------


def test_dashboard_panel_shows_latest_statement_length_and_comments(
    applicant_client: Client, statement: Statement, invited: tuple[ReviewInvitation, str]
) -> None:
    invitation, _token = invited
    services.review_comment_add(invitation=invitation, author=None, body="Open one")
    html = applicant_client.get(reverse("dashboard")).content.decode()
    assert "Personal statement" in html
    assert "Private title IM" in html
    assert "of 28,000 characters" in html
    assert "1 open reviewer comment" in html


def test_dashboard_panel_invites_to_start(applicant_client: Client) -> None:
    html = applicant_client.get(reverse("dashboard")).content.decode()
    assert reverse("statements:create") in html
