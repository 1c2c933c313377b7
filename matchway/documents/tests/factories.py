"""Document test data. Prefer `upload_document` (the real service) to build setup data;
`DocumentFactory` writes rows directly for states the service refuses (e.g. past expiry)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import factory
from django.core.files.base import ContentFile

from matchway.accounts.models import User
from matchway.accounts.tests.factories import UserFactory
from matchway.documents.models import Document, DocumentStatus, DocumentType
from matchway.documents.services import document_upload

from .samples import make_pdf


def upload_document(
    owner: User,
    type_code: str = "cv",
    *,
    content: bytes | None = None,
    name: str = "document.pdf",
    issued_on: date | None = None,
    expires_on: date | None = None,
) -> Document:
    return document_upload(
        actor=owner,
        owner=owner,
        type_code=type_code,
        file=io.BytesIO(content if content is not None else make_pdf()),
        original_name=name,
        issued_on=issued_on,
        expires_on=expires_on,
    )


class DocumentTypeFactory(factory.django.DjangoModelFactory[DocumentType]):
    class Meta:
        model = DocumentType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test_type_{n}")
    name = factory.Sequence(lambda n: f"Test document {n}")
    allowed_content_types: Any = factory.LazyFunction(lambda: ["application/pdf"])
    max_size_bytes = 5 * 1024 * 1024
    expires = False
    valid_for_days = None


class DocumentFactory(factory.django.DjangoModelFactory[Document]):
    class Meta:
        model = Document

    owner = factory.SubFactory(UserFactory, role="applicant")
    type = factory.SubFactory(DocumentTypeFactory)
    file = factory.LazyFunction(lambda: ContentFile(make_pdf(), name="factory.pdf"))
    original_name = "factory.pdf"
    sha256 = "0" * 64
    size = 1000
    content_type = "application/pdf"
    pages = 1
    status = DocumentStatus.UPLOADED
    is_current = True
