"""Audit action codes in words, for people reading the audit log.

`action_label("letter_request.brag_sheet_downloaded")` → "Brag sheet downloaded". Codes are
`<entity>.<verb>` (docs/dev/audit.md); a code with no entry here still reads as words
("Widget: colour changed"), and `home/tests/test_audit_labels.py` fails for any code used in
the code base that has no entry, so a new action gets its words when it is added.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, Promise] = {
    # accounts and security
    "account.signed_in": _("Signed in"),
    "account.sign_in_failed": _("Sign-in failed"),
    "account.signed_out": _("Signed out"),
    "account.signed_up": _("Account created"),
    "account.password_changed": _("Password changed"),
    "account.password_reset": _("Password reset"),
    "account.email_changed": _("Email address changed"),
    "account.second_factor_added": _("Two-factor sign-in turned on"),
    "account.second_factor_removed": _("Two-factor sign-in turned off"),
    "account.role_changed": _("Role changed"),
    "account.permissions_changed": _("Staff permissions changed"),
    "account.deactivated": _("Account deactivated"),
    "account.reactivated": _("Account reactivated"),
    "account.groups_changed": _("Groups changed"),
    "account.user_permissions_changed": _("Permissions changed"),
    "api_token.created": _("API token created"),
    "api_token.revoked": _("API token revoked"),
    "api_token.first_use_from_new_ip": _("API token used from a new address"),
    "invitation.created": _("Invitation sent"),
    "invitation.resent": _("Invitation sent again"),
    "invitation.accepted": _("Invitation accepted"),
    "consent.accepted": _("Policy accepted"),
    "profile.updated": _("Profile updated"),
    "privacy.export": _("Personal data exported"),
    "privacy.erasure_requested": _("Account deletion requested"),
    "privacy.erased": _("Personal data erased"),
    "token.used": _("Secret link used"),
    # provider and pages
    "organization.updated": _("Provider details updated"),
    "policy_page.published": _("Policy page published"),
    "article.created": _("Guide created"),
    "article.updated": _("Guide updated"),
    "article.published": _("Guide published"),
    "article.unpublished": _("Guide unpublished"),
    # catalog and booking
    "site.created": _("Site created"),
    "site.updated": _("Site updated"),
    "rotation.created": _("Rotation created"),
    "rotation.updated": _("Rotation updated"),
    "rotation.published": _("Rotation published"),
    "rotation.unpublished": _("Rotation unpublished"),
    "rotation.arrival_updated": _("Rotation arrival details updated"),
    "session.created": _("Session created"),
    "session.opened": _("Session opened for applications"),
    "session.closed": _("Session closed for applications"),
    "session.capacity_changed": _("Session capacity changed"),
    "session.cancelled": _("Session cancelled"),
    "session.arrival_updated": _("Session arrival details updated"),
    "application.submitted": _("Application submitted"),
    "application.waitlisted": _("Application waitlisted"),
    "application.accepted": _("Application accepted"),
    "application.confirmed": _("Application confirmed"),
    "application.in_progress": _("Rotation started"),
    "application.completed": _("Rotation completed"),
    "application.declined": _("Application declined"),
    "application.withdrawn": _("Application withdrawn"),
    "application.expired": _("Seat hold expired"),
    "application.cancelled": _("Application cancelled"),
    "application.hold_extended": _("Seat hold extended"),
    "application.confirm_override": _("Confirmed despite missing documents"),
    "application.confirm_clash_override": _("Confirmed despite a date clash"),
    "payment.recorded": _("Payment recorded"),
    "payment.refused": _("Payment notice refused"),
    "payment.checkout_started": _("Card payment started"),
    "payment.reminder_sent": _("Payment reminder sent"),
    "calendar_feed.created": _("Calendar feed created"),
    "calendar_feed.revoked": _("Calendar feed revoked"),
    "visa_letter.request": _("Visa letter requested"),
    "visa_letter.issue": _("Visa letter issued"),
    "visa_letter.refuse": _("Visa letter refused"),
    "visa_letter.revoke": _("Visa letter revoked"),
    "visa_letter.download": _("Visa letter downloaded"),
    # documents
    "document.uploaded": _("Document uploaded"),
    "document.downloaded": _("Document downloaded"),
    "document.verified": _("Document verified"),
    "document.rejected": _("Document rejected"),
    "document.expired": _("Document expired"),
    "document.expiry_reminded": _("Document expiry reminder sent"),
    "document.retention_noticed": _("Document deletion notice sent"),
    "document.erased_by_retention": _("Document deleted after the retention period"),
    # on a rotation
    "attendance.confirm": _("Attendance confirmed"),
    "journal.create": _("Journal entry created"),
    "journal.save": _("Journal entry saved"),
    "journal.delete": _("Journal entry deleted"),
    "journal.share": _("Journal entry shared"),
    "journal.unshare": _("Journal entry unshared"),
    "journal.comment": _("Journal comment added"),
    "journal.export": _("Journal exported"),
    "journal.phi_dismiss": _("Journal privacy warning dismissed"),
    "journal.phi_replace": _("Journal patient detail replaced"),
    "evaluation.request": _("Evaluation requested"),
    "evaluation.request_external": _("Evaluation requested from an outside evaluator"),
    "evaluation.request_preceptors": _("Evaluation requested from the rotation's preceptors"),
    "evaluation.remind": _("Evaluation reminder sent"),
    "evaluation.submit": _("Evaluation submitted"),
    "evaluation.addendum": _("Evaluation addendum added"),
    "certificate.issue": _("Certificate issued"),
    "certificate.download": _("Certificate downloaded"),
    "certificate.revoke": _("Certificate revoked"),
    "certificate.render_retry": _("Certificate rendered again"),
    "eras_draft.generated": _("ERAS draft generated"),
    "eras_draft.edited": _("ERAS draft edited"),
    "eras_draft.restored": _("ERAS draft version restored"),
    "eras_draft.phi_acknowledged": _("ERAS draft privacy warning acknowledged"),
    # letters
    "letter.downloaded": _("Letter downloaded"),
    "letter_request.viewed": _("Letter request viewed"),
    "letter_request.writer_viewed": _("Letter request opened by the writer"),
    "letter_request.reminder_sent": _("Letter reminder sent"),
    "letter_request.ask_reminder_sent": _("Letter request reminder sent"),
    "letter_request.attachment_downloaded": _("Letter attachment downloaded"),
    "letter_request.brag_sheet_downloaded": _("Brag sheet downloaded"),
    "letter_request.expired": _("Letter request expired"),
    # ERAS season: programs and targets (eras-a)
    "eras_program.added": _("ERAS program added"),
    "eras_program.updated": _("ERAS program edited"),
    "eras_program.deleted": _("ERAS program deleted"),
    "eras_program.shared_added": _("ERAS program added to the shared list"),
    "eras_program.shared_updated": _("ERAS program on the shared list edited"),
    "eras_program.shared_deleted": _("ERAS program removed from the shared list"),
    "eras_program.imported": _("ERAS programs imported from CSV"),
    "eras_program.exported": _("ERAS program list exported"),
    "eras_target.status_changed": _("ERAS program status changed"),
    "eras_target.updated": _("ERAS program notes updated"),
    "eras_target.statement_set": _("Statement assigned to an ERAS program"),
    "eras_target.signal_set": _("ERAS program signal changed"),
    # statements
    "statement.created": _("Statement created"),
    "statement.updated": _("Statement updated"),
    "statement.duplicated": _("Statement duplicated"),
    "statement.archived": _("Statement archived"),
    "statement.unarchived": _("Statement restored from the archive"),
    "statement.exported": _("Statement exported"),
    "statement.normalized": _("Statement text tidied"),
    "statement.version_saved": _("Statement version saved"),
    "statement.version_restored": _("Statement version restored"),
    "statement_review.invited": _("Statement reviewer invited"),
    "statement_review.resent": _("Statement review link sent again"),
    "statement_review.revoked": _("Statement review link revoked"),
    "statement_review.viewed": _("Statement opened by the reviewer"),
    "statement_review.completed": _("Statement review completed"),
    "statement_comment.created": _("Statement comment added"),
    "statement_comment.resolved": _("Statement comment resolved"),
    "statement_comment.reopened": _("Statement comment reopened"),
    # Match week and SOAP
    "soap_week.result_set": _("Match Week result recorded"),
    "soap_week.drill_started": _("SOAP drill started"),
    "soap_week.drill_advanced": _("SOAP drill clock moved on"),
    "soap_week.drill_finished": _("SOAP drill finished"),
    "soap_week.exported": _("Match Week record exported"),
    "soap_list.imported": _("List of unfilled programs imported"),
    "soap_list.deleted": _("List of unfilled programs deleted"),
    "soap_application.added": _("SOAP application recorded"),
    "soap_application.documents_set": _("SOAP application documents chosen"),
    "soap_application.sent": _("SOAP applications marked sent"),
    "soap_application.removed": _("SOAP application removed"),
    "soap_offer.recorded": _("SOAP offer recorded"),
    "soap_offer.accepted": _("SOAP offer accepted"),
    "soap_offer.declined": _("SOAP offer declined"),
    "soap_offer.expired": _("SOAP offer expired"),
    # messages and notifications
    "message.posted": _("Message sent"),
    "message.attachment_downloaded": _("Message attachment downloaded"),
    "thread.assigned": _("Conversation assigned"),
    "notification_preference.updated": _("Email settings changed"),
    "notification_preference.unsubscribed": _("Unsubscribed from emails"),
    # ERAS season: signals, interviews, rank list
    "eras_interview.created": _("Interview added"),
    "eras_interview.updated": _("Interview changed"),
    "eras_interview.deleted": _("Interview removed"),
    "eras_rank_list.reordered": _("Rank list reordered"),
    # money: receipts, invoices, refunds (issue #16 part B)
    "invoice.issued": _("Receipt or invoice issued"),
    "invoice.downloaded": _("Receipt or invoice downloaded"),
    "refund.recorded": _("Refund recorded"),
    "refund.over_policy": _("Refund above the policy"),
    "rotation.refund_rules_updated": _("Refund schedule changed"),
}


def action_label(code: str) -> str:
    """The action in words: our own words when we have them, else the code made readable
    ("widget.colour_changed" → "Widget: colour changed")."""
    known = ACTION_LABELS.get(code)
    if known is not None:
        return str(known)
    entity, _dot, verb = code.partition(".")
    entity_words = entity.replace("_", " ").strip().capitalize()
    verb_words = verb.replace("_", " ").replace(".", " ").strip()
    if not verb_words:
        return entity_words or gettext("Unknown action")
    return f"{entity_words}: {verb_words}"
