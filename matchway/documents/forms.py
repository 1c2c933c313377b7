from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DocumentType
from .services import REASON_MAX_LENGTH
from .validation import EXTENSIONS, LABELS, human_size


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DocumentUploadForm(forms.Form):
    """One upload for one document type. The service does the real checks on the file."""

    file = forms.FileField(label=_("File"), allow_empty_file=True)
    issued_on = forms.DateField(label=_("Issue date"), required=False, widget=DateInput())
    expires_on = forms.DateField(label=_("Expiry date"), required=False, widget=DateInput())

    def __init__(self, *args: Any, doc_type: DocumentType, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", doc_type.code)
        super().__init__(*args, **kwargs)
        self.doc_type = doc_type
        self.max_size_label = human_size(doc_type.max_size_bytes)
        allowed = [t for t in doc_type.allowed_content_types if t in LABELS]
        accept = [f".{ext}" for t in allowed for ext in EXTENSIONS[t]] + allowed
        self.fields["file"].widget.attrs["accept"] = ",".join(accept)
        self.fields["file"].help_text = _("%(types)s, up to %(size)s.") % {
            "types": ", ".join(LABELS[t] for t in allowed),
            "size": self.max_size_label,
        }
        if doc_type.expires:
            self.fields["expires_on"].required = True
            self.fields["expires_on"].help_text = _("As printed on the document.")
        else:
            self.fields["expires_on"].help_text = _("Only if the document shows one.")
        if doc_type.valid_for_days:
            self.fields["issued_on"].help_text = _(
                "The date on the document (test, exam or letter). It is good for %(days)s "
                "days from then; we work out the expiry."
            ) % {"days": doc_type.valid_for_days}
        else:
            self.fields["issued_on"].help_text = _("Optional.")


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason the applicant will see"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tell the applicant why, so they can fix it.")},
    )

    def __init__(self, *args: Any, document_pk: int, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"reject-{document_pk}")
        super().__init__(*args, **kwargs)


class ReviewFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("uploaded", _("Waiting for review")),
            ("verified", _("Verified")),
            ("rejected", _("Rejected")),
            ("expired", _("Expired")),
            ("all", _("All")),
        ],
    )
    type = forms.ChoiceField(label=_("Document type"), required=False)
    q = forms.CharField(label=_("Applicant"), required=False, max_length=100)

    def __init__(self, *args: Any, types: list[DocumentType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        type_field = cast(forms.ChoiceField, self.fields["type"])
        type_field.choices = [("", _("All types"))] + [(t.code, t.name) for t in types]
        self.fields["q"].widget.attrs["placeholder"] = _("Name or email")
