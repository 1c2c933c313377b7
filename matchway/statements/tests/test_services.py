"""Statement services against the real database: versions, autosave, normalize, reviewers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from matchway.core.exceptions import InvalidTransition, NotFound, RateLimited, ValidationFailed
from matchway.core.models import AuditEvent
from matchway.reference.models import Specialty
from matchway.statements import services
from matchway.statements.models import (
    AnalysisState,
    ReviewInvitation,
    Statement,
    StatementVersion,
    VersionSource,
)
from matchway.statements.selectors import (
    comment_anchor,
    comment_list_for_statement,
    find_quote,
    review_invitation_from_token,
    statement_list_for_user,
    version_latest,
)
from matchway.statements.services import checks, exports, reviews

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TEXT = (
    "During my observership in internal medicine I presented new admissions on rounds.\n\n"
    "My preceptor taught me to explain each plan to the family in plain words."
)


@pytest.fixture
def statement(applicant: Any) -> Statement:
    return services.statement_create(actor=applicant, title="General IM", body=TEXT)


def save(applicant: Any, statement: Statement, body: str, **kwargs: Any) -> services.SaveResult:
    return services.statement_save(actor=applicant, statement=statement, body=body, **kwargs)


def versions(statement: Statement) -> list[StatementVersion]:
    return list(statement.versions.order_by("number"))


# --- create, save, autosave coalescing ----------------------------------------------------


def test_create_with_text_makes_version_one(statement: Statement) -> None:
    (v1,) = versions(statement)
    assert (v1.number, v1.source, v1.body) == (1, VersionSource.MANUAL, TEXT)
    assert v1.characters == len(TEXT)
    assert v1.words == 26


def test_create_empty_has_no_version_and_needs_a_title(applicant: Any) -> None:
    statement = services.statement_create(actor=applicant, title="  Empty  ")
    assert statement.title == "Empty"
    assert versions(statement) == []
    with pytest.raises(ValidationFailed) as exc:
        services.statement_create(actor=applicant, title="   ")
    assert "title" in exc.value.errors


def test_only_applicants_create_statements(preceptor: Any) -> None:
    with pytest.raises(NotFound):
        services.statement_create(actor=preceptor, title="Mine")


def test_every_changed_save_is_a_version_and_unchanged_is_not(
    applicant: Any, statement: Statement
) -> None:
    assert save(applicant, statement, TEXT, source=VersionSource.MANUAL).created is False
    result = save(applicant, statement, TEXT + " More.", source=VersionSource.MANUAL)
    assert result.created
    assert result.version
    assert result.version.number == 2
    assert [v.number for v in versions(statement)] == [1, 2]


def test_consecutive_autosaves_coalesce_into_one_version(
    applicant: Any, statement: Statement
) -> None:
    first = save(applicant, statement, TEXT + " a")
    second = save(applicant, statement, TEXT + " ab", base_number=2)
    third = save(applicant, statement, TEXT + " abc", base_number=2)
    assert first.created
    assert not second.created
    assert not third.created
    assert second.changed
    assert third.changed
    assert [(v.number, v.source, v.body[-4:]) for v in versions(statement)] == [
        (1, VersionSource.MANUAL, TEXT[-4:]),
        (2, VersionSource.AUTOSAVE, " abc"),
    ]


def test_autosave_after_the_window_starts_a_new_version(
    applicant: Any, statement: Statement
) -> None:
    save(applicant, statement, TEXT + " a")
    StatementVersion.objects.filter(statement=statement, number=2).update(
        updated_at=timezone.now() - services.AUTOSAVE_COALESCE - timedelta(seconds=1)
    )
    result = save(applicant, statement, TEXT + " ab", base_number=2)
    assert result.created
    assert result.version
    assert result.version.number == 3


def test_autosave_never_rewrites_a_manual_version(applicant: Any, statement: Statement) -> None:
    result = save(applicant, statement, TEXT + " edited", base_number=1)
    assert result.created
    assert result.version
    assert result.version.number == 2
    assert statement.versions.get(number=1).body == TEXT


def test_manual_save_always_creates_a_new_version_after_autosaves(
    applicant: Any, statement: Statement
) -> None:
    save(applicant, statement, TEXT + " a")
    result = save(applicant, statement, TEXT + " ab", source=VersionSource.MANUAL)
    assert result.created
    assert result.version
    assert result.version.number == 3
    # and the next autosave does not rewrite the manual version
    after = save(applicant, statement, TEXT + " abc", base_number=3)
    assert after.created
    assert after.version
    assert after.version.number == 4


def test_manual_save_of_unchanged_autosave_pins_it(applicant: Any, statement: Statement) -> None:
    save(applicant, statement, TEXT + " a")
    result = save(applicant, statement, TEXT + " a", source=VersionSource.MANUAL)
    assert not result.created
    assert statement.versions.get(number=2).source == VersionSource.MANUAL
    assert save(applicant, statement, TEXT + " ab", base_number=2).created


def test_autosave_does_not_rewrite_a_version_shared_with_a_reviewer(
    applicant: Any, statement: Statement, django_capture_on_commit_callbacks: Any
) -> None:
    version = save(applicant, statement, TEXT + " shared").version
    assert version is not None
    with django_capture_on_commit_callbacks(execute=True):
        services.review_invitation_create(
            actor=applicant, version=version, email="r@example.com", name="R"
        )
    result = save(applicant, statement, TEXT + " shared, then edited", base_number=2)
    assert result.created
    assert statement.versions.get(number=2).body == TEXT + " shared"


def test_stale_tab_saves_a_new_version_and_reports_a_conflict(
    applicant: Any, statement: Statement
) -> None:
    save(applicant, statement, TEXT + " tab A")  # version 2 from another tab
    result = save(applicant, statement, TEXT + " tab B", base_number=1)
    assert result.conflict
    assert result.created
    assert result.version
    assert result.version.number == 3
    assert statement.versions.get(number=2).body.endswith("tab A")


def test_crlf_is_stored_as_lf_and_oversized_text_is_refused(
    applicant: Any, statement: Statement
) -> None:
    result = save(applicant, statement, "One.\r\n\r\nTwo.", source=VersionSource.MANUAL)
    assert result.version
    assert result.version.body == "One.\n\nTwo."
    with pytest.raises(ValidationFailed) as exc:
        save(applicant, statement, "x" * (services.MAX_BODY_CHARS + 1))
    assert "body" in exc.value.errors
    assert version_latest(statement).body == "One.\n\nTwo."  # type: ignore[union-attr]


def test_outsider_cannot_save_or_read_through_services(outsider: Any, statement: Statement) -> None:
    with pytest.raises(NotFound):
        save(outsider, statement, "hijack")
    with pytest.raises(NotFound):
        services.statement_duplicate(actor=outsider, statement=statement)
    with pytest.raises(NotFound):
        services.statement_archive(actor=outsider, statement=statement)
    assert statement_list_for_user(user=outsider).count() == 0


# --- normalize, restore, duplicate, archive --------------------------------------------------


def test_normalize_creates_a_version_with_the_changes(applicant: Any, statement: Statement) -> None:
    body = "It\u2019s a \u201cgood\u201d plan \u2014 truly.\u00a0Done \U0001f600."
    result = services.statement_normalize(
        actor=applicant, statement=statement, body=body, base_number=1
    )
    assert result.created
    assert result.version
    assert [v.source for v in versions(statement)] == [
        VersionSource.MANUAL,
        VersionSource.MANUAL,  # what was in the editor is saved first
        VersionSource.NORMALIZED,
    ]
    assert result.version.body == 'It\'s a "good" plan -- truly. Done.'
    befores = {c["before_label"] for c in result.version.changes}
    assert {"\u2019", "\u201c", "\u2014", "no-break space"} <= befores
    assert all("context_before" in c for c in result.version.changes)
    assert AuditEvent.objects.filter(action="statement.normalized").count() == 1


def test_autosave_landing_after_normalize_does_not_undo_it(
    applicant: Any, statement: Statement
) -> None:
    """Clicking "Fix for ERAS plain text" blurs the editor, which fires one more autosave
    with the same (unfixed) text. When that request reaches the server after the fix, it
    must not bring the curly quotes back as the newest version (a CI run caught it)."""
    body = "It\u2019s a \u201cgood\u201d plan."
    fixed = services.statement_normalize(
        actor=applicant, statement=statement, body=body, base_number=1
    ).version
    assert fixed is not None
    late = save(applicant, statement, body, base_number=1)
    assert not late.created
    assert version_latest(statement) == fixed
    assert len(versions(statement)) == 3
    # A stale tab with text nobody saved yet still gets its own version.
    other = save(applicant, statement, body + " More.", base_number=1)
    assert other.created and other.conflict


def test_late_autosave_of_the_base_text_after_normalize_is_ignored(
    applicant: Any, statement: Statement
) -> None:
    """The sequence a CI run caught in Chromium: the keyup autosave already saved the text
    (so the editor's base *is* that text), the fix makes the next version, then the blur's
    autosave arrives with the same text and the same base. Nothing new was typed, so the fix
    must stay the newest version."""
    body = "It\u2019s a \u201cgood\u201d plan."
    typed = save(applicant, statement, body, base_number=1)
    assert typed.version is not None
    base = typed.version.number
    fixed = services.statement_normalize(
        actor=applicant, statement=statement, body=body, base_number=base
    ).version
    assert fixed is not None and fixed.number == base + 1
    late = save(applicant, statement, body, base_number=base)
    assert not late.created
    assert version_latest(statement) == fixed
    assert "\u201c" not in version_latest(statement).body


def test_normalize_of_clean_text_creates_nothing(applicant: Any, statement: Statement) -> None:
    result = services.statement_normalize(actor=applicant, statement=statement)
    assert not result.created
    assert len(versions(statement)) == 1


def test_restore_copies_an_old_version_forward(applicant: Any, statement: Statement) -> None:
    save(applicant, statement, "Rewritten.", source=VersionSource.MANUAL)
    version = services.statement_version_restore(actor=applicant, statement=statement, number=1)
    assert (version.number, version.source, version.restored_from) == (3, "restored", 1)
    assert version.body == TEXT
    with pytest.raises(NotFound):
        services.statement_version_restore(actor=applicant, statement=statement, number=99)


def test_duplicate_copies_settings_and_current_text(
    applicant: Any, statement: Statement, reference_data: None
) -> None:
    statement.specialty = Specialty.objects.get(code="140")
    statement.program_label = "Riverside IM"
    statement.save()
    save(applicant, statement, "Newest text.", source=VersionSource.MANUAL)
    copy = services.statement_duplicate(actor=applicant, statement=statement)
    assert copy.pk != statement.pk
    assert copy.title == "Copy of General IM"
    assert (copy.specialty_id, copy.program_label) == ("140", "Riverside IM")
    assert copy.duplicated_from_id == statement.pk
    (v1,) = versions(copy)
    assert (v1.number, v1.source, v1.body) == (1, VersionSource.DUPLICATE, "Newest text.")
    assert len(versions(statement)) == 2  # the original is untouched


def test_archive_hides_and_blocks_editing_until_unarchived(
    applicant: Any, statement: Statement
) -> None:
    assert services.statement_archive(actor=applicant, statement=statement)
    assert not services.statement_archive(actor=applicant, statement=statement)
    assert list(statement_list_for_user(user=applicant)) == []
    assert list(statement_list_for_user(user=applicant, archived=True)) == [statement]
    with pytest.raises(InvalidTransition):
        save(applicant, statement, "edit while archived")
    assert services.statement_unarchive(actor=applicant, statement=statement)
    assert save(applicant, statement, "edit after restoring").created


def test_a_review_comment_with_phi_is_refused_and_not_stored(
    applicant: Any, statement: Statement, django_capture_on_commit_callbacks: Any
) -> None:
    save(applicant, statement, "Short now.", source=VersionSource.MANUAL)
    invitation = _invite(applicant, statement, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationFailed) as excinfo:
        services.review_comment_add(
            invitation=invitation, author=None, body="Like my patient Mr. John Smith, MRN 12345678"
        )
    assert excinfo.value.code == "phi_detected" and "body" in excinfo.value.errors
    assert not invitation.comments.exists()


def test_list_annotates_current_size_and_open_comments(
    applicant: Any, statement: Statement, django_capture_on_commit_callbacks: Any
) -> None:
    save(applicant, statement, "Short now.", source=VersionSource.MANUAL)
    invitation = _invite(applicant, statement, django_capture_on_commit_callbacks)
    services.review_comment_add(invitation=invitation, author=None, body="One")
    services.review_comment_add(invitation=invitation, author=None, body="Two")
    (row,) = statement_list_for_user(user=applicant)
    assert (row.current_number, row.current_characters) == (2, len("Short now."))
    assert row.open_comments == 2


# --- analysis stored on the version --------------------------------------------------------


def test_analysis_is_stored_and_reused_until_text_or_settings_change(
    applicant: Any, statement: Statement, reference_data: None
) -> None:
    version = version_latest(statement)
    assert version is not None
    outcome = services.version_analysis(version=version)
    assert outcome.state == AnalysisState.DONE
    assert outcome.result
    assert outcome.result["characters"] == len(TEXT)
    version.refresh_from_db()
    key = version.analysis_key
    assert version.analysis_state == AnalysisState.DONE
    assert key
    assert services.version_analysis(version=version).result == outcome.result
    statement.specialty = Specialty.objects.get(code="140")
    statement.save()
    fresh = version_latest(statement)
    assert fresh is not None
    services.version_analysis(version=fresh)
    fresh.refresh_from_db()
    assert fresh.analysis_key != key  # new inputs → new analysis


def test_long_text_is_analysed_by_the_task(
    applicant: Any,
    statement: Statement,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    monkeypatch.setattr(checks, "SYNC_ANALYSIS_MAX_CHARS", 10)
    version = version_latest(statement)
    assert version is not None
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        outcome = services.version_analysis(version=version)
    assert outcome.state == AnalysisState.PENDING
    assert len(callbacks) == 1  # statement_analyze_task enqueued after commit
    version.refresh_from_db()
    assert version.analysis_state == AnalysisState.DONE  # ImmediateBackend ran it
    assert version.analysis
    assert version.analysis["characters"] == len(TEXT)
    # The page's next poll gets the stored result without running anything again.
    assert services.version_analysis(version=version).state == AnalysisState.DONE


def test_pending_analysis_is_not_enqueued_twice(
    applicant: Any,
    statement: Statement,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    monkeypatch.setattr(checks, "SYNC_ANALYSIS_MAX_CHARS", 10)
    version = version_latest(statement)
    assert version is not None
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.version_analysis(version=version)
        services.version_analysis(version=version)
    assert len(callbacks) == 1


def test_analyser_crash_is_reported_not_raised(
    applicant: Any, statement: Statement, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("analyser bug")

    monkeypatch.setattr(checks.analysis, "analyze", boom)
    version = version_latest(statement)
    assert version is not None
    assert services.version_analysis(version=version).state == AnalysisState.FAILED


# --- reviewers and comments ------------------------------------------------------------------


def _invite(applicant: Any, statement: Statement, capture: Any, **kwargs: Any) -> ReviewInvitation:
    version = version_latest(statement)
    assert version is not None
    params = {"email": "Reviewer@Example.com", "name": "Dr. Rivera", **kwargs}
    with capture(execute=True):
        return services.review_invitation_create(actor=applicant, version=version, **params)


def test_invitation_emails_a_working_expiring_link(
    applicant: Any,
    statement: Statement,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    invitation = _invite(applicant, statement, django_capture_on_commit_callbacks, days=7)
    assert invitation.reviewer_email == "reviewer@example.com"
    assert invitation.expires_at - timezone.now() > timedelta(days=6)
    (mail,) = mailoutbox
    assert mail.to == ["reviewer@example.com"]
    assert mail.reply_to == [applicant.email]
    assert "General IM" not in mail.body  # the private title never leaves the applicant
    assert mail.alternatives
    assert "/statements/review/" in str(mail.alternatives[0][0])
    token = mail.body.split("/statements/review/")[1].split("/")[0]
    assert review_invitation_from_token(token) == invitation
    assert AuditEvent.objects.filter(action="statement_review.invited").exists()


def test_invitation_to_an_existing_account_links_it(
    applicant: Any,
    preceptor: Any,
    statement: Statement,
    django_capture_on_commit_callbacks: Any,
) -> None:
    invitation = _invite(
        applicant, statement, django_capture_on_commit_callbacks, email=preceptor.email
    )
    assert invitation.reviewer == preceptor


def test_invitation_validation_and_daily_cap(
    applicant: Any,
    statement: Statement,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        _invite(applicant, statement, django_capture_on_commit_callbacks, email=applicant.email)
    assert "email" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        _invite(applicant, statement, django_capture_on_commit_callbacks, name=" ")
    assert "name" in exc.value.errors
    monkeypatch.setattr(reviews, "MAX_INVITATIONS_PER_DAY", 1)
    _invite(applicant, statement, django_capture_on_commit_callbacks)
    with pytest.raises(RateLimited):
        _invite(applicant, statement, django_capture_on_commit_callbacks)


def test_revoke_and_resend_kill_old_links(
    applicant: Any,
    statement: Statement,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    invitation = _invite(applicant, statement, django_capture_on_commit_callbacks)
    first = mailoutbox[0].body.split("/statements/review/")[1].split("/")[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.review_invitation_resend(actor=applicant, invitation=invitation)
    second = mailoutbox[1].body.split("/statements/review/")[1].split("/")[0]
    assert review_invitation_from_token(first) is None
    assert review_invitation_from_token(second) == invitation
    assert services.review_invitation_revoke(actor=applicant, invitation=invitation)
    assert review_invitation_from_token(second) is None
    with pytest.raises(NotFound):
        services.review_comment_add(invitation=invitation, author=None, body="late")


def test_expired_invitation_link_is_dead(
    applicant: Any,
    statement: Statement,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    invitation = _invite(applicant, statement, django_capture_on_commit_callbacks)
    token = mailoutbox[0].body.split("/statements/review/")[1].split("/")[0]
    ReviewInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert review_invitation_from_token(token) is None
    assert review_invitation_from_token(token[:-2] + "xx") is None


def test_comment_anchored_by_selection_or_pasted_quote(
    applicant: Any, statement: Statement, django_capture_on_commit_callbacks: Any
) -> None:
    invitation = _invite(applicant, statement, django_capture_on_commit_callbacks)
    start = TEXT.index("presented")
    by_range = services.review_comment_add(
        invitation=invitation,
        author=None,
        body="Say what you presented.",
        quote="presented new admissions ",
        start=start,
        end=start + len("presented new admissions "),
    )
    assert (by_range.anchor_start, by_range.quote) == (start, "presented new admissions")
    pasted = services.review_comment_add(
        invitation=invitation,
        author=None,
        body="Nice.",
        quote="plan to the   family",  # whitespace differs from the text
    )
    assert pasted.quote == "plan to the family"
    general = services.review_comment_add(invitation=invitation, author=None, body="Overall good.")
    assert general.anchor_start is None
    assert general.quote == ""
    with pytest.raises(ValidationFailed) as exc:
        services.review_comment_add(
            invitation=invitation, author=None, body="?", quote="words that are not there"
        )
    assert "quote" in exc.value.errors
    with pytest.raises(ValidationFailed):
        services.review_comment_add(invitation=invitation, author=None, body="   ")


def test_comment_reanchors_in_later_drafts(
    applicant: Any, statement: Statement, django_capture_on_commit_callbacks: Any
) -> None:
    invitation = _invite(applicant, statement, django_capture_on_commit_callbacks)
    kept = services.review_comment_add(
        invitation=invitation, author=None, body="Good", quote="explain each plan"
    )
    reflowed = services.review_comment_add(
        invitation=invitation, author=None, body="Fine", quote="to the family in plain words"
    )
    removed = services.review_comment_add(
        invitation=invitation, author=None, body="Cut", quote="presented new admissions"
    )
    new_body = (
        "A new opening sentence.\n\nDuring my observership I learned a lot.\n\n"
        "My preceptor taught me to explain each plan to the\nfamily in plain words."
    )
    latest = save(applicant, statement, new_body, source=VersionSource.MANUAL).version
    assert latest is not None
    exact = comment_anchor(kept, new_body, version_id=latest.pk)
    assert exact.status == "exact"
    assert new_body[exact.start : exact.end] == "explain each plan"  # type: ignore[misc]
    fuzzy = comment_anchor(reflowed, new_body, version_id=latest.pk)
    assert fuzzy.status == "fuzzy"
    assert new_body[fuzzy.start : fuzzy.end] == "to the\nfamily in plain words"  # type: ignore[misc]
    assert comment_anchor(removed, new_body, version_id=latest.pk).status == "gone"
    statuses = {
        item.comment.pk: item.anchor.status
        for item in comment_list_for_statement(statement, current=latest)
    }
    assert statuses == {kept.pk: "exact", reflowed.pk: "fuzzy", removed.pk: "gone"}


def test_find_quote_prefers_the_occurrence_nearest_the_original() -> None:
    body = "the plan. the plan. the plan."
    assert find_quote(body, "the plan", hint=10).start == 10
    assert find_quote(body, "the plan", hint=0).start == 0
    # typography folded: a curly apostrophe in the text matches a straight one in the quote
    assert find_quote("It\u2019s fine", "It's fine").status == "fuzzy"
    # a quote taken before normalization still finds the text after it ("\u2014" -> "--")
    assert find_quote("plan -- truly", "plan \u2014 truly").status == "fuzzy"
    assert find_quote("anything", "   ").status == "general"


def test_resolve_and_reopen_are_owner_only_and_audited(
    applicant: Any,
    outsider: Any,
    statement: Statement,
    django_capture_on_commit_callbacks: Any,
) -> None:
    invitation = _invite(applicant, statement, django_capture_on_commit_callbacks)
    comment = services.review_comment_add(invitation=invitation, author=None, body="Hm")
    with pytest.raises(NotFound):
        services.review_comment_resolve(actor=outsider, comment=comment)
    assert services.review_comment_resolve(actor=applicant, comment=comment)
    assert not services.review_comment_resolve(actor=applicant, comment=comment)
    comment.refresh_from_db()
    assert comment.resolved_by == applicant
    assert services.review_comment_reopen(actor=applicant, comment=comment)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"statement_comment.created", "statement_comment.resolved"} <= actions
    assert "statement_comment.reopened" in actions


def test_complete_emails_the_applicant_once(
    applicant: Any,
    statement: Statement,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    invitation = _invite(applicant, statement, django_capture_on_commit_callbacks)
    services.review_comment_add(invitation=invitation, author=None, body="Done reading")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.review_invitation_complete(invitation=invitation, author=None)
        assert not services.review_invitation_complete(invitation=invitation, author=None)
    assert [m.to for m in mailoutbox[1:]] == [[applicant.email]]
    assert "1 comment" in mailoutbox[1].body


# --- export -----------------------------------------------------------------------------------


def test_plain_text_export_is_normalized_and_limit_checked(
    applicant: Any, statement: Statement, monkeypatch: pytest.MonkeyPatch
) -> None:
    save(applicant, statement, "  \u201cHi\u201d \u2014 there.  \n", source=VersionSource.MANUAL)
    plain = services.statement_plain_text(statement)
    assert plain.text == '"Hi" -- there.\n'
    assert plain.changes == 3
    assert not plain.over_limit
    monkeypatch.setattr(exports, "statement_max_chars", lambda: 5)
    over = services.statement_plain_text(statement)
    assert over.over_limit
    assert over.over_by == len('"Hi" -- there.') - 5
