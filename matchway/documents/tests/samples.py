"""Files built in code for upload tests (no binary fixtures in the repository).

Benign builders (`make_pdf`, `make_png`, `make_jpeg`, `make_webp`) and hostile ones
(encrypted, scripted, launching, embedding PDFs; bombs; polyglots; disguised files).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import Any

from fpdf import FPDF
from PIL import ExifTags, Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)


def make_pdf(text: str = "Matchway test document", pages: int = 1) -> bytes:
    pdf = FPDF()
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("helvetica", size=14)
        pdf.cell(text=f"{text} - page {number}")
    return bytes(pdf.output())


def _rewrite(pdf: bytes, change: Any) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


TEST_PDF_PASSWORD = "not-a-real-secret"  # a test fixture's lock, not a credential


def make_encrypted_pdf() -> bytes:
    return _rewrite(make_pdf(), lambda w: w.encrypt(TEST_PDF_PASSWORD, algorithm="AES-128"))


def _action(kind: str, **entries: Any) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = value
    return action


def make_pdf_with_open_action_js(script: str = "app.alert('hello from the PDF')") -> bytes:
    def change(writer: PdfWriter) -> None:
        action = _action("/JavaScript", JS=TextStringObject(script))
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)

    return _rewrite(make_pdf(), change)


def make_pdf_with_page_aa_js() -> bytes:
    """JavaScript in a page's additional actions (/AA /O: runs when the page opens)."""

    def change(writer: PdfWriter) -> None:
        action = writer._add_object(_action("/JavaScript", JS=TextStringObject("app.beep(0)")))
        writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): action})

    return _rewrite(make_pdf(), change)


def make_pdf_with_names_tree_js() -> bytes:
    """Document-level JavaScript in the /Names /JavaScript tree."""

    def change(writer: PdfWriter) -> None:
        action = writer._add_object(_action("/JavaScript", JS=TextStringObject("app.beep(0)")))
        tree = DictionaryObject(
            {NameObject("/Names"): ArrayObject([TextStringObject("init"), action])}
        )
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): writer._add_object(tree)}
        )

    return _rewrite(make_pdf(), change)


def make_pdf_with_escaped_js_names() -> bytes:
    """`/J#61vaScript` and `/J#53` are the same names as /JavaScript and /JS to a viewer.

    The script is shortened by as many bytes as the escapes add, so the xref offsets of
    the objects after it stay right and the file still parses strictly.
    """
    pdf = make_pdf_with_open_action_js(script="app.alert(123456)")
    escaped = pdf.replace(b"/S /JavaScript", b"/S /J#61vaScript", 1)
    escaped = escaped.replace(b"/JS (", b"/J#53 (", 1).replace(b"123456", b"12", 1)
    assert len(escaped) == len(pdf), "the escapes must not move later objects"
    return escaped


def make_pdf_with_launch() -> bytes:
    def change(writer: PdfWriter) -> None:
        action = _action("/Launch", F=TextStringObject("C:\\Windows\\System32\\calc.exe"))
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)

    return _rewrite(make_pdf(), change)


def make_pdf_with_embedded_file() -> bytes:
    return _rewrite(make_pdf(), lambda w: w.add_attachment("invoice.exe", b"MZ\x90\x00" * 64))


def make_pdf_with_xfa() -> bytes:
    def change(writer: PdfWriter) -> None:
        writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
            {
                NameObject("/Fields"): ArrayObject(),
                NameObject("/XFA"): TextStringObject("<xdp:xdp/>"),
            }
        )

    return _rewrite(make_pdf(), change)


def make_pdf_with_rich_media() -> bytes:
    def change(writer: PdfWriter) -> None:
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/RichMedia"),
                NameObject("/Rect"): ArrayObject(),
            }
        )
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])

    return _rewrite(make_pdf(), change)


def make_truncated_pdf() -> bytes:
    pdf = make_pdf(pages=3)
    return pdf[: len(pdf) * 2 // 3]


def make_pdf_with_html_before_header() -> bytes:
    return b"<html><body><script>alert(document.cookie)</script></body></html>\n" + make_pdf()


def make_png(size: tuple[int, int] = (64, 48), color: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def make_webp(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, "WEBP")
    return out.getvalue()


def gps_exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 15"  # Model
    if orientation is not None:
        exif[0x0112] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        1: "N",
        2: (40.0, 26.0, 46.0),
        3: "W",
        4: (79.0, 58.0, 56.0),
    }
    return exif


def make_jpeg(
    size: tuple[int, int] = (80, 40),
    *,
    exif: Image.Exif | None = None,
    comment: bytes | None = None,
) -> bytes:
    out = io.BytesIO()
    options: dict[str, Any] = {"quality": 85}
    if exif is not None:
        options["exif"] = exif
    if comment is not None:
        options["comment"] = comment
    Image.new("RGB", size, "navy").save(out, "JPEG", **options)
    return out.getvalue()


def make_jpeg_html_polyglot() -> bytes:
    """A real JPEG with HTML in its comment segment and more HTML after the end marker."""
    html = b"<html><body><script>alert(document.domain)</script></body></html>"
    return make_jpeg(comment=html) + html


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def make_png_bomb(width: int = 60_000, height: int = 60_000) -> bytes:
    """A tiny PNG whose header claims billions of pixels (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grayscale
    row = b"\x00" + b"\x00" * width
    compressor = zlib.compressobj(9)
    idat = compressor.compress(row * 16) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def make_zip_bomb(inflated_bytes: int = 20 * 1024 * 1024) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("bomb.txt", b"\x00" * inflated_bytes)
    return out.getvalue()


HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>Invoice</title></head>"
    b"<body><script>alert(document.cookie)</script></body></html>"
)
SVG_WITH_SCRIPT = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
