"""Personal statement workbench in real Chromium: write → findings → normalize → compare →
reviewer comments through the emailed link → resolve → export; phone width too."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from matchway.accounts.tests.factories import UserFactory
from matchway.reference.loader import load_all
from matchway.statements.models import ReviewComment, Statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-secure-pass-42"
DRAFT = (
    "Since I was a child I have had a passion for medicine. At two in the morning on my "
    "first medical ward, a man with heart failure became short of breath, and I learned "
    "to reassess him every hour.\n\n"
    "My observership in internal medicine at a community hospital showed me how a US team "
    "works \u2014 I presented new admissions to the attending and wrote notes that my "
    "preceptor reviewed.\n\n"
    "I want to train in internal medicine because I enjoy the \u201cdetective work\u201d of "
    "complex adult patients."
)
PHONE = {"width": 390, "height": 844}


def _login(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def _select_text(page: Any, container: str, phrase: str) -> None:
    """Select `phrase` inside `container` like a mouse drag would, then release."""
    page.evaluate(
        """([selector, phrase]) => {
            const root = document.querySelector(selector);
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.data.indexOf(phrase);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + phrase.length);
                    const sel = window.getSelection();
                    sel.removeAllRanges();
                    sel.addRange(range);
                    root.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
                    return;
                }
            }
            throw new Error("phrase not found: " + phrase);
        }""",
        [container, phrase],
    )


def test_statement_workbench_journey(live_server: Any, page: Any, screenshot: Any) -> None:
    load_all()
    UserFactory(
        email="amina@example.com", full_name="Amina Okafor", role="applicant", password=PASSWORD
    )
    base = live_server.url
    _login(page, base, "amina@example.com")

    # The dashboard panel invites to start; the list shows its empty state.
    screenshot(page, "dashboard")
    page.get_by_role("button", name="Start a statement").click()
    page.wait_for_url(re.compile(r"/statements/new/"))
    page.goto(f"{base}/statements/")
    assert page.get_by_text("No personal statement yet").is_visible()
    screenshot(page, "list-empty")

    # Create, then write: autosave after a pause in typing.
    page.get_by_role("button", name="New statement").click()
    page.get_by_label("Private title").fill("General IM")
    page.get_by_label("Target specialty").select_option(label="Internal Medicine (Categorical)")
    screenshot(page, "create")
    page.get_by_role("button", name="Create and start writing").click()
    page.wait_for_url(re.compile(r"/statements/\d+/$"))
    editor = page.locator("#id_body")
    editor.fill(DRAFT[:-1])
    editor.press("End")
    editor.type(".")  # a real keyup: htmx autosaves 1.5 s later
    page.wait_for_selector("#save-status:has-text('Saved at')")
    assert "characters" in page.locator("#char-count").inner_text()

    # Findings highlighted in place and listed.
    page.wait_for_selector("mark.finding")
    assert page.locator("mark.finding-warning").count() >= 2
    assert page.get_by_text("What to look at").is_visible()
    assert page.locator(".st-finding").filter(has_text="Curly quote").count() == 1
    screenshot(page, "editor-findings")

    # One-click normalization shows what changed and makes a version.
    page.get_by_role("button", name=re.compile(r"Fix for ERAS plain text")).click()
    page.wait_for_url(re.compile(r"\?changes=\d+"))
    changes = page.locator("#changes")
    assert changes.is_visible()
    assert "characters changed for ERAS plain text" in changes.inner_text()
    assert "\u201c" not in editor.input_value()
    assert "--" in editor.input_value()
    screenshot(page, "normalized")

    # Compare versions: the diff shows the replaced characters.
    page.get_by_role("link", name="Compare", exact=True).click()
    page.wait_for_selector(".st-diff")
    assert page.locator(".st-diff del").count() >= 1
    assert page.locator(".st-diff ins").count() >= 1
    screenshot(page, "compare")
    page.get_by_role("link", name="Versions", exact=True).click()
    assert page.locator(".st-version-table tbody tr").count() == 2
    screenshot(page, "versions")

    # Invite a reviewer to the current version; the link arrives by email.
    page.get_by_role("link", name="Reviewers", exact=True).click()
    page.get_by_role("button", name=re.compile(r"Invite a reviewer to version")).click()
    page.get_by_label("Reviewer's name").fill("Dr. Maria Rivera")
    page.get_by_label("Reviewer's email").fill("rivera@example.com")
    page.get_by_label("Message (optional)").fill("Does my opening work?")
    screenshot(page, "invite")
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_url(re.compile(r"/reviews/$"))
    assert page.get_by_text("Dr. Maria Rivera").first.is_visible()
    invitation_mail = mail.outbox[-1]
    assert invitation_mail.to == ["rivera@example.com"]
    link = re.search(r"https?://\S+/statements/review/\S+/", invitation_mail.body)
    assert link, invitation_mail.body
    review_path = "/statements/review/" + link.group(0).split("/statements/review/", 1)[1]

    # The reviewer: no account, a separate browser context, comments on a selected passage.
    reviewer_context = page.context.browser.new_context(viewport={"width": 1280, "height": 900})
    reviewer = reviewer_context.new_page()
    reviewer.goto(f"{base}{review_path}")
    heading = reviewer.get_by_role("heading", name=re.compile("Personal statement by Amina"))
    assert heading.is_visible()
    assert "General IM" not in reviewer.content()  # the private title stays private
    _select_text(reviewer, "#review-text", "I presented new admissions to the attending")
    assert reviewer.locator("#id_quote").input_value() == (
        "I presented new admissions to the attending"
    )
    assert reviewer.locator("#id_start").input_value() != ""
    comment_box = reviewer.get_by_role("textbox", name="Your comment")
    comment_box.fill("Say what you learned from presenting.")
    screenshot(reviewer, "reviewer-selects")
    reviewer.get_by_role("button", name="Add comment").click()
    reviewer.wait_for_selector("mark.comment-mark")
    assert reviewer.get_by_text("Say what you learned from presenting.").is_visible()
    reviewer.get_by_role("button", name=re.compile("I'm done")).click()
    reviewer.wait_for_selector("text=You finished this review")
    screenshot(reviewer, "reviewer-done")
    reviewer.set_viewport_size(PHONE)
    screenshot(reviewer, "reviewer-phone")
    reviewer_context.close()
    assert mail.outbox[-1].to == ["amina@example.com"]
    comment = ReviewComment.objects.get()
    assert comment.quote == "I presented new admissions to the attending"

    # The applicant edits the draft; the comment re-anchors in the newest text; resolve it.
    page.goto(f"{base}/statements/{comment.version.statement_id}/")
    editor = page.locator("#id_body")
    editor.press("Control+End")
    editor.type(" I hope to teach.")
    page.wait_for_selector("#save-status:has-text('Saved at')")
    page.get_by_role("link", name="Reviewers", exact=True).click()
    assert page.locator("mark.comment-mark").count() == 1
    screenshot(page, "reviews")
    page.get_by_role("button", name="Resolve").first.click()
    page.wait_for_selector("text=1 resolved comment")
    comment.refresh_from_db()
    assert comment.resolved_at is not None

    # Export: plain text for ERAS and a PDF.
    page.get_by_role("link", name="Export", exact=True).click()
    text = page.locator("#eras-text").input_value()
    assert "I hope to teach." in text
    assert "\u2014" not in text
    assert page.get_by_text("within the ERAS limit").is_visible()
    screenshot(page, "export")
    with page.expect_download() as txt:
        page.get_by_role("button", name="Download .txt").click()
    assert txt.value.suggested_filename == "general-im.txt"
    with page.expect_download() as pdf:
        page.get_by_role("button", name="Download PDF").click()
    assert pdf.value.suggested_filename == "general-im.pdf"

    # Phone width: the editor stacks its panels.
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/statements/{comment.version.statement_id}/")
    screenshot(page, "editor-phone")
    page.goto(f"{base}/statements/")
    screenshot(page, "list-phone")
    assert Statement.objects.count() == 1


def test_unsaved_text_survives_a_lost_connection(
    live_server: Any, page: Any, screenshot: Any
) -> None:
    load_all()
    user = UserFactory(email="ravi@example.com", role="applicant", password=PASSWORD)
    statement = Statement.objects.create(applicant=user, title="Offline test")
    base = live_server.url
    _login(page, base, "ravi@example.com")
    page.goto(f"{base}/statements/{statement.pk}/")
    editor = page.locator("#id_body")

    page.context.set_offline(True)
    editor.type("Typed while the connection was down.")
    page.wait_for_selector("#save-status.st-save-error")
    assert "no connection" in page.locator("#save-status").inner_text()
    assert editor.input_value() == "Typed while the connection was down."
    screenshot(page, "offline-error")

    # Back online, the page reloads with the server's (empty) copy: the browser's draft
    # is offered back and saved.
    page.context.set_offline(False)
    page.on("dialog", lambda dialog: dialog.accept())  # "leave with unsaved changes?" → yes
    page.reload()
    assert editor.input_value() == ""
    banner = page.locator("#local-draft")
    banner.wait_for(state="visible")
    screenshot(page, "restore-offer")
    page.get_by_role("button", name="Put that text back in the editor").click()
    assert editor.input_value() == "Typed while the connection was down."
    page.wait_for_selector("#save-status:has-text('Saved at')")
    assert statement.versions.get().body == "Typed while the connection was down."
