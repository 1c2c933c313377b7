"""validation.py is pure: these tests need no database."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from matchway.core.exceptions import UploadRejected
from matchway.documents.validation import (
    CHUNK_SIZE,
    ValidatedFile,
    check_pdf,
    describe_content,
    read_bounded,
    safe_filename,
    sniff_content_type,
    validate_pdf,
    validate_upload,
)

from . import samples

ALL = ["application/pdf", "image/jpeg", "image/png", "image/webp"]


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
        (b" %PDF-1.7", None),
        (b"<html>%PDF-1.7", None),
        (b"GIF89a", None),
        (b"", None),
    ],
)
def test_sniff_content_type_reads_magic_bytes_only(head: bytes, expected: str | None) -> None:
    assert sniff_content_type(head) == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (samples.WINDOWS_EXE, "a Windows program"),
        (b"\x7fELF\x02\x01", "a Linux program"),
        (b"PK\x03\x04\x14\x00", "a ZIP archive (or a Word, Excel or OpenDocument file)"),
        (samples.HTML_PAGE, "an HTML page"),
        (b"\xef\xbb\xbf  <HTML><body>", "an HTML page"),
        (samples.SVG_WITH_SCRIPT, "an SVG image"),
        (b"<?xml version='1.0'?><note/>", "an XML file"),
        (b"GIF87a\x01\x00", "a GIF image"),
        (b"\x00\x00\x00\x18ftypheic", "an HEIC photo (export it as JPEG)"),
        (b"plain words", "a text file"),
        (bytes(range(256)), None),
    ],
)
def test_describe_content_names_common_impostors(head: bytes, expected: str | None) -> None:
    assert describe_content(head) == expected


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("cv.pdf", "application/pdf", "cv.pdf"),
        ("CV.PDF", "application/pdf", "CV.pdf"),
        ("photo.jpeg", "image/jpeg", "photo.jpeg"),
        ("photo.png", "image/jpeg", "photo.jpg"),
        ("scan", "image/png", "scan.png"),
        ("report.pdf.exe", "application/pdf", "report.pdf.pdf"),
        ("/etc/passwd", "application/pdf", "passwd.pdf"),
        ("C:\\Users\\me\\Desktop\\cv.pdf", "application/pdf", "cv.pdf"),
        ("a\u200bb\u202ec.pdf", "application/pdf", "abc.pdf"),
        ('bad<>:"|?*name.pdf', "application/pdf", "bad_______name.pdf"),
        ("nul.tar.pdf", "application/pdf", "_nul.tar.pdf"),
        ("LPT1", "application/pdf", "_LPT1.pdf"),
        ("...", "application/pdf", "document.pdf"),
        ("  .hidden.pdf  ", "application/pdf", "hidden.pdf"),
    ],
)
def test_safe_filename(name: str, content_type: str, expected: str) -> None:
    assert safe_filename(name, content_type) == expected


def test_safe_filename_limits_length_and_keeps_the_extension() -> None:
    name = safe_filename("é" * 500 + ".pdf", "application/pdf")
    assert len(name) == 100
    assert name.endswith(".pdf")


def test_read_bounded_never_reads_past_the_limit_plus_one() -> None:
    reads: list[int] = []

    class Spy(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            assert size is not None
            assert size >= 0
            reads.append(size)
            return super().read(size)

    with pytest.raises(UploadRejected, match="larger than"):
        read_bounded(Spy(b"x" * (CHUNK_SIZE * 10)), CHUNK_SIZE * 2 + 5)
    assert sum(reads) <= CHUNK_SIZE * 2 + 6
    assert max(reads) <= CHUNK_SIZE


def test_read_bounded_accepts_exactly_the_limit() -> None:
    assert read_bounded(io.BytesIO(b"abc"), 3) == b"abc"


def test_read_bounded_rewinds_a_file_that_was_read_before() -> None:
    stream = io.BytesIO(b"%PDF-1.7 rest")
    stream.read(4)
    assert read_bounded(stream, 100) == b"%PDF-1.7 rest"


def test_validate_upload_accepts_django_uploaded_files() -> None:
    pdf = samples.make_pdf(pages=2)
    small = SimpleUploadedFile("cv.pdf", pdf, content_type="text/html")  # browser type ignored
    result = validate_upload(
        small, original_name="cv.pdf", allowed_content_types=ALL, max_bytes=10_000
    )
    assert result.content_type == "application/pdf"
    assert result.pages == 2
    big = TemporaryUploadedFile("cv.pdf", "application/pdf", len(pdf), None)
    big.write(pdf)
    big.seek(0)
    try:
        assert validate_pdf(big, original_name="cv.pdf", max_bytes=10_000).sha256 == result.sha256
    finally:
        big.close()


def test_validate_pdf_returns_a_frozen_result_with_facts() -> None:
    pdf = samples.make_pdf(pages=4)
    result = validate_pdf(io.BytesIO(pdf), original_name="../letter.pdf", max_bytes=1_000_000)
    assert isinstance(result, ValidatedFile)
    assert result.content == pdf  # PDFs are stored as sent (after the checks)
    assert result.size == len(pdf)
    assert result.safe_name == "letter.pdf"
    assert result.pages == 4
    assert "%PDF" not in repr(result)  # the bytes stay out of logs
    with pytest.raises(AttributeError):
        result.size = 1  # type: ignore[misc]


def test_validate_pdf_refuses_images() -> None:
    with pytest.raises(UploadRejected, match="must be a PDF; this file is a PNG image"):
        validate_pdf(io.BytesIO(samples.make_png()), original_name="x.pdf", max_bytes=100_000)


def test_escaped_javascript_names_are_caught_by_the_object_walk() -> None:
    pdf = samples.make_pdf_with_escaped_js_names()
    assert b"/JavaScript" not in pdf  # a byte search would miss it
    with pytest.raises(UploadRejected, match="JavaScript"):
        check_pdf(pdf)


def test_image_size_limit_uses_the_real_pixels_not_the_file_size() -> None:
    bomb = samples.make_png_bomb()
    assert len(bomb) < 200_000
    with pytest.raises(UploadRejected, match="too large"):
        validate_upload(
            io.BytesIO(bomb), original_name="x.png", allowed_content_types=ALL, max_bytes=10**7
        )


@pytest.mark.parametrize("mode", ["L", "P", "RGBA", "CMYK", "1", "LA"])
def test_images_in_unusual_modes_are_reencoded(mode: str) -> None:
    from PIL import Image

    image = Image.new(mode, (20, 10))
    fmt = "JPEG" if mode == "CMYK" else "PNG"
    out = io.BytesIO()
    image.save(out, fmt)
    result = validate_upload(
        io.BytesIO(out.getvalue()), original_name="x", allowed_content_types=ALL, max_bytes=10**6
    )
    reopened = Image.open(io.BytesIO(result.content))
    assert reopened.size == (20, 10)
