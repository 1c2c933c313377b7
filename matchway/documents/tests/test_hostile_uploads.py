"""Hostile uploads: each gets a clear reason (or is made safe), and nothing else is stored.

Every case runs through the real service against an applicant who already has a good
current version of the same type; after a refusal there is no new row, no new file in
private storage, and the previous version is still current.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from matchway.core.exceptions import UploadRejected
from matchway.documents.models import Document, DocumentStatus
from matchway.documents.services import document_upload

from . import samples
from .factories import DocumentTypeFactory, upload_document

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class EndlessStream(io.RawIOBase):
    """A never-ending upload (starts like a PDF); counts what the validator reads."""

    def __init__(self) -> None:
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        assert size >= 0, "the validator must never read unbounded"
        chunk = (b"%PDF-1.7\n" + b"0" * size)[:size] if self.bytes_read == 0 else b"0" * size
        self.bytes_read += len(chunk)
        return chunk


@dataclass(frozen=True)
class Hostile:
    id: str
    type_code: str
    filename: str
    content: Callable[[], bytes]
    message: str


def _truncated_jpeg() -> bytes:
    data = samples.make_jpeg((300, 200))
    return data[: len(data) // 3]


def _heic_header() -> bytes:
    return b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64


HOSTILE = [
    Hostile(
        "exe-renamed-pdf",
        "cv",
        "cv.pdf",
        lambda: samples.WINDOWS_EXE,
        "This file is not a PDF: it looks like a Windows program.",
    ),
    Hostile(
        "zip-renamed-pdf",
        "cv",
        "cv.pdf",
        lambda: samples.make_zip_bomb(1024),
        "This file is not a PDF: it looks like a ZIP archive",
    ),
    Hostile(
        "zip-bomb-renamed-pdf",
        "cv",
        "report.pdf",
        samples.make_zip_bomb,
        "This file is not a PDF: it looks like a ZIP archive",
    ),
    Hostile(
        "html-renamed-pdf",
        "cv",
        "cv.pdf",
        lambda: samples.HTML_PAGE,
        "This file is not a PDF: it looks like an HTML page.",
    ),
    Hostile(
        "svg-script-renamed-pdf",
        "cv",
        "cv.pdf",
        lambda: samples.SVG_WITH_SCRIPT,
        "This file is not a PDF: it looks like an SVG image.",
    ),
    Hostile(
        "html-before-pdf-header",
        "cv",
        "cv.pdf",
        samples.make_pdf_with_html_before_header,
        "This file is not a PDF: it looks like an HTML page.",
    ),
    Hostile(
        "text-renamed-pdf",
        "cv",
        "cv.pdf",
        lambda: b"Curriculum vitae\nJane Doe\n" * 20,
        "This file is not a PDF: it looks like a text file.",
    ),
    Hostile(
        "unknown-binary",
        "cv",
        "cv.pdf",
        lambda: bytes(range(256)) * 4,
        "This file is not a PDF: we could not recognise it.",
    ),
    Hostile(
        "encrypted-pdf",
        "cv",
        "cv.pdf",
        samples.make_encrypted_pdf,
        "The PDF is password-protected; please upload an unprotected copy.",
    ),
    Hostile(
        "pdf-openaction-javascript",
        "cv",
        "cv.pdf",
        samples.make_pdf_with_open_action_js,
        "The PDF contains JavaScript",
    ),
    Hostile(
        "pdf-page-aa-javascript",
        "cv",
        "cv.pdf",
        samples.make_pdf_with_page_aa_js,
        "The PDF contains JavaScript",
    ),
    Hostile(
        "pdf-names-tree-javascript",
        "cv",
        "cv.pdf",
        samples.make_pdf_with_names_tree_js,
        "The PDF contains JavaScript",
    ),
    Hostile(
        "pdf-escaped-javascript-names",
        "cv",
        "cv.pdf",
        samples.make_pdf_with_escaped_js_names,
        "The PDF contains JavaScript",
    ),
    Hostile(
        "pdf-launch-action",
        "cv",
        "cv.pdf",
        samples.make_pdf_with_launch,
        "The PDF contains an action that launches a program",
    ),
    Hostile(
        "pdf-embedded-file",
        "cv",
        "cv.pdf",
        samples.make_pdf_with_embedded_file,
        "The PDF contains embedded files",
    ),
    Hostile(
        "pdf-xfa-form", "cv", "cv.pdf", samples.make_pdf_with_xfa, "The PDF contains an XFA form"
    ),
    Hostile(
        "pdf-rich-media",
        "cv",
        "cv.pdf",
        samples.make_pdf_with_rich_media,
        "The PDF contains embedded media",
    ),
    Hostile(
        "truncated-pdf",
        "cv",
        "cv.pdf",
        samples.make_truncated_pdf,
        "The PDF is damaged or incomplete",
    ),
    Hostile(
        "pdf-header-then-garbage",
        "cv",
        "cv.pdf",
        lambda: b"%PDF-1.7\n" + b"\x00garbage" * 50,
        "The PDF is damaged or incomplete",
    ),
    Hostile(
        "png-decompression-bomb",
        "photo",
        "me.png",
        samples.make_png_bomb,
        "The image is too large (more than 40 megapixels).",
    ),
    Hostile(
        "png-bomb-just-over-limit",
        "photo",
        "me.png",
        lambda: samples.make_png_bomb(8000, 5001),
        "The image is too large (more than 40 megapixels).",
    ),
    Hostile(
        "truncated-jpeg", "photo", "me.jpg", _truncated_jpeg, "The image is damaged or incomplete"
    ),
    Hostile("zero-bytes", "cv", "cv.pdf", lambda: b"", "The file is empty (0 bytes)."),
    Hostile(
        "oversize-buffer",
        "photo",
        "me.jpg",
        lambda: samples.make_jpeg() + b"\x00" * (2 * MB),
        "The file is larger than 2 MB.",
    ),
    Hostile(
        "png-for-pdf-only-type",
        "cv",
        "cv.png",
        samples.make_png,
        "This document must be a PDF; this file is a PNG image.",
    ),
    Hostile(
        "pdf-for-image-only-type",
        "photo",
        "photo.pdf",
        samples.make_pdf,
        "This document must be a JPEG or PNG; this file is a PDF.",
    ),
    Hostile(
        "webp-for-jpeg-png-type",
        "photo",
        "photo.webp",
        samples.make_webp,
        "This document must be a JPEG or PNG; this file is a WebP image.",
    ),
    Hostile(
        "gif-renamed-jpg",
        "photo",
        "photo.jpg",
        lambda: b"GIF89a" + b"\x00" * 100,
        "This file is not a JPEG or PNG: it looks like a GIF image.",
    ),
    Hostile(
        "heic-renamed-jpg",
        "photo",
        "photo.jpg",
        _heic_header,
        "it looks like an HEIC photo (export it as JPEG)",
    ),
]


@pytest.fixture
def previous(applicant: object, reference_data: None) -> dict[str, Document]:
    """A good current version of each type the cases target."""
    return {
        "cv": upload_document(applicant, "cv", name="good-cv.pdf"),  # type: ignore[arg-type]
        "photo": upload_document(  # type: ignore[arg-type]
            applicant, "photo", content=samples.make_png(), name="good-photo.png"
        ),
    }


def _assert_nothing_changed(
    before_files: set[str],
    stored_files: Callable[[], set[str]],
    before_count: int,
    previous: Document,
) -> None:
    assert stored_files() == before_files, "a refused upload must not leave a file behind"
    assert Document.objects.count() == before_count
    previous.refresh_from_db()
    assert previous.is_current
    assert previous.status == DocumentStatus.UPLOADED
    assert previous.file.storage.exists(previous.file.name)


@pytest.mark.parametrize("case", HOSTILE, ids=[c.id for c in HOSTILE])
def test_hostile_upload_is_refused_with_a_reason_and_nothing_is_stored(
    case: Hostile,
    applicant: object,
    previous: dict[str, Document],
    stored_files: Callable[[], set[str]],
) -> None:
    before_files, before_count = stored_files(), Document.objects.count()
    with pytest.raises(UploadRejected) as caught:
        document_upload(
            actor=applicant,  # type: ignore[arg-type]
            owner=applicant,  # type: ignore[arg-type]
            type_code=case.type_code,
            file=io.BytesIO(case.content()),
            original_name=case.filename,
        )
    assert case.message in caught.value.message
    assert caught.value.code == "upload_rejected"
    _assert_nothing_changed(before_files, stored_files, before_count, previous[case.type_code])


def test_endless_stream_is_cut_off_at_the_limit_without_reading_it_all(
    applicant: object, previous: dict[str, Document], stored_files: Callable[[], set[str]]
) -> None:
    before_files, before_count = stored_files(), Document.objects.count()
    stream = EndlessStream()
    with pytest.raises(UploadRejected, match=r"The file is larger than 5 MB\."):
        document_upload(
            actor=applicant,  # type: ignore[arg-type]
            owner=applicant,  # type: ignore[arg-type]
            type_code="cv",
            file=stream,  # type: ignore[arg-type]
            original_name="cv.pdf",
        )
    assert stream.bytes_read == 5 * MB + 1
    _assert_nothing_changed(before_files, stored_files, before_count, previous["cv"])


# --- Accepted, but made safe ------------------------------------------------------------


def _upload(applicant: object, type_code: str, content: bytes, name: str) -> Document:
    return document_upload(
        actor=applicant,  # type: ignore[arg-type]
        owner=applicant,  # type: ignore[arg-type]
        type_code=type_code,
        file=io.BytesIO(content),
        original_name=name,
    )


def _stored_bytes(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\System32\\drivers\\etc\\hosts.pdf", "hosts.pdf"),
        ("invoice\x00.pdf", "invoice.pdf"),
        ("cv\u202efdp.exe", "cvfdp.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ("résumé  final\t(2).pdf", "résumé final (2).pdf"),
        ("x" * 300 + ".pdf", "x" * 96 + ".pdf"),
        ("", "document.pdf"),
    ],
)
def test_path_tricks_in_the_name_are_stored_under_a_safe_name(
    name: str,
    expected: str,
    applicant: object,
    previous: dict[str, Document],
    stored_files: Callable[[], set[str]],
) -> None:
    before_files = stored_files()
    document = _upload(applicant, "cv", samples.make_pdf(), name)
    assert document.original_name == expected
    # On disk the name is random and under the owner's folder, whatever was uploaded.
    assert document.file.name.startswith(f"documents/{document.owner_id}/")
    assert "passwd" not in document.file.name
    assert ".." not in document.file.name
    assert stored_files() - before_files == {document.file.name}
    previous["cv"].refresh_from_db()
    assert not previous["cv"].is_current
    assert document.is_current


def test_photo_with_gps_exif_is_accepted_with_all_metadata_stripped(
    applicant: object, previous: dict[str, Document]
) -> None:
    original = samples.make_jpeg((80, 40), exif=samples.gps_exif(orientation=6))
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the GPS is there

    document = _upload(applicant, "photo", original, "IMG_0001.JPG")

    stored = _stored_bytes(document)
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    exif = image.getexif()
    assert not exif.get_ifd(0x8825), "GPS must be gone"
    assert len(exif) == 0, "no EXIF at all (make, model, orientation)"
    assert "exif" not in image.info
    assert "icc_profile" not in image.info
    assert image.size == (40, 80), "orientation 6 is applied to the pixels"
    assert b"PhoneMaker" not in stored
    assert document.original_name == "IMG_0001.jpg"
    assert document.content_type == "image/jpeg"
    assert document.size == len(stored)


def test_jpeg_html_polyglot_is_reencoded_without_the_html(
    applicant: object, previous: dict[str, Document]
) -> None:
    polyglot = samples.make_jpeg_html_polyglot()
    assert b"<script>" in polyglot

    document = _upload(applicant, "photo", polyglot, "photo.jpg")

    stored = _stored_bytes(document)
    assert b"<script" not in stored
    assert b"<html" not in stored
    assert stored.startswith(b"\xff\xd8\xff")
    assert stored.rstrip(b"\x00").endswith(b"\xff\xd9")


def test_png_text_chunks_and_xmp_are_stripped(
    applicant: object, previous: dict[str, Document]
) -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPSLatitude 40.4</x:xmpmeta>")
    out = io.BytesIO()
    Image.new("RGBA", (30, 30), (0, 128, 0, 128)).save(out, "PNG", pnginfo=info)

    document = _upload(applicant, "photo", out.getvalue(), "badge.png")

    stored = _stored_bytes(document)
    assert b"<script" not in stored
    assert b"xmpmeta" not in stored
    assert b"tEXt" not in stored
    image = Image.open(io.BytesIO(stored))
    assert image.mode == "RGBA"
    assert image.size == (30, 30)


def test_webp_is_accepted_and_reencoded_where_the_type_allows_it(
    applicant: object, reference_data: None
) -> None:
    webp_type = DocumentTypeFactory(code="scan_webp", allowed_content_types=["image/webp"])
    document = _upload(applicant, webp_type.code, samples.make_webp(), "scan")
    assert document.content_type == "image/webp"
    assert document.original_name == "scan.webp"
    assert _stored_bytes(document)[8:12] == b"WEBP"


def test_sha256_and_size_describe_the_stored_bytes(
    applicant: object, previous: dict[str, Document]
) -> None:
    import hashlib

    document = _upload(applicant, "cv", samples.make_pdf(pages=3), "cv.pdf")
    stored = _stored_bytes(document)
    assert document.sha256 == hashlib.sha256(stored).hexdigest()
    assert document.size == len(stored)
    assert document.pages == 3


def test_a_refused_upload_leaves_an_expiring_previous_version_untouched(
    applicant: object, reference_data: None, stored_files: Callable[[], set[str]]
) -> None:
    expires = timezone.localdate() + timedelta(days=400)
    good = upload_document(applicant, "passport", expires_on=expires)  # type: ignore[arg-type]
    before_files, before_count = stored_files(), Document.objects.count()
    with pytest.raises(UploadRejected):
        upload_document(  # type: ignore[arg-type]
            applicant, "passport", content=samples.make_encrypted_pdf(), expires_on=expires
        )
    _assert_nothing_changed(before_files, stored_files, before_count, good)
    good.refresh_from_db()
    assert good.expires_on == expires
