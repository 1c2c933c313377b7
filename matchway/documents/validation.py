"""Upload validation: pure functions from bytes to a safe, checked file (no models, no I/O).

Used by the document vault and by the letters feature. The rules (docs/dev/private-files.md):

- The size limit holds while reading: at most `max_bytes + 1` bytes are ever read.
- The type comes from the file's first bytes (magic), never from its name or the browser.
- PDFs must parse (strictly), must not be encrypted and must not carry active content
  (JavaScript, launch actions, embedded files, rich media, XFA forms).
- Images are decoded and re-encoded from pixels only, so EXIF (with GPS), XMP, ICC, comments
  and anything appended after the image data are gone; the EXIF orientation is applied first.
- Names are reduced to a harmless base name with an extension that matches the real type.

Every refusal raises `UploadRejected` with a sentence the uploader can act on.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps

from matchway.core.exceptions import UploadRejected

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
IMAGE_TYPES = (JPEG, PNG, WEBP)
SUPPORTED_TYPES = (PDF, *IMAGE_TYPES)

CHUNK_SIZE = 64 * 1024
MAX_NAME_LENGTH = 100
# 40 megapixels covers any real phone photo or scan; decoding is width*height*4 bytes, so
# this also bounds memory (~160 MB). Larger images are refused before their pixels load.
MAX_IMAGE_PIXELS = 40_000_000
# Pillow's own guard (warning above, error at twice the value) backs up our explicit check.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
# A PDF with more objects than this is not a scanned certificate; walking it could be slow.
MAX_PDF_OBJECTS = 50_000
JPEG_QUALITY = 90

LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", WEBP: "WebP"}
EXTENSIONS = {PDF: ("pdf",), JPEG: ("jpg", "jpeg"), PNG: ("png",), WEBP: ("webp",)}
PIL_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}

MSG_EMPTY = gettext_lazy("The file is empty (0 bytes). Please choose the file again.")
MSG_TOO_LARGE = gettext_lazy("The file is larger than %(limit)s.")
MSG_NOT_TYPE = gettext_lazy("This file is not a %(expected)s: it looks like %(actual)s.")
MSG_UNKNOWN_FORMAT = gettext_lazy("This file is not a %(expected)s: we could not recognise it.")
MSG_WRONG_TYPE = gettext_lazy("This document must be a %(expected)s; this file is a %(actual)s.")
MSG_PDF_DAMAGED = gettext_lazy(
    "The PDF is damaged or incomplete and cannot be opened. Please export or scan it again."
)
MSG_PDF_ENCRYPTED = gettext_lazy(
    "The PDF is password-protected; please upload an unprotected copy."
)
MSG_PDF_NO_PAGES = gettext_lazy("The PDF has no pages.")
MSG_PDF_TOO_COMPLEX = gettext_lazy(
    "The PDF is too complex to check. Please print it to a new PDF and upload that copy."
)
MSG_PDF_ACTIVE = gettext_lazy(
    "The PDF contains %(what)s, which we do not accept. Please print it to a new PDF "
    "(“Save as PDF”) and upload that copy."
)
MSG_IMAGE_DAMAGED = gettext_lazy(
    "The image is damaged or incomplete and cannot be opened. Please take or export it again."
)
MSG_IMAGE_TOO_LARGE = gettext_lazy(
    "The image is too large (more than 40 megapixels). Please upload a smaller photo or scan."
)
MSG_IMAGE_MISMATCH = gettext_lazy("The image content does not match its format.")

ACTIVE_CONTENT = {
    "javascript": gettext_lazy("JavaScript"),
    "launch": gettext_lazy("an action that launches a program"),
    "embedded": gettext_lazy("embedded files"),
    "richmedia": gettext_lazy("embedded media (Flash or 3D)"),
    "xfa": gettext_lazy("an XFA form"),
    "import": gettext_lazy("an action that imports data"),
}


@dataclass(frozen=True)
class ValidatedFile:
    """A file that passed validation: the bytes to store and the facts about them."""

    content: bytes
    content_type: str
    sha256: str
    size: int
    safe_name: str
    pages: int | None

    def __repr__(self) -> str:  # the content can be megabytes; keep logs readable
        return (
            f"ValidatedFile(content_type={self.content_type!r}, size={self.size}, "
            f"sha256={self.sha256[:12]}…, safe_name={self.safe_name!r}, pages={self.pages})"
        )


# --- Type sniffing ------------------------------------------------------------------------


def sniff_content_type(head: bytes) -> str | None:
    """The supported type these first bytes announce (PDF, JPEG, PNG, WebP), else None.

    A PDF must start with `%PDF-` at offset 0: readers tolerate junk before it, but that
    junk is exactly how HTML/PDF polyglots are built, so we do not.
    """
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


_OTHER_SIGNATURES: tuple[tuple[bytes, Any], ...] = (
    (b"MZ", gettext_lazy("a Windows program")),
    (b"\x7fELF", gettext_lazy("a Linux program")),
    (b"\xcf\xfa\xed\xfe", gettext_lazy("a macOS program")),
    (b"#!", gettext_lazy("a script")),
    (b"PK\x03\x04", gettext_lazy("a ZIP archive (or a Word, Excel or OpenDocument file)")),
    (b"PK\x05\x06", gettext_lazy("an empty ZIP archive")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", gettext_lazy("an old Microsoft Office document")),
    (b"\x1f\x8b", gettext_lazy("a gzip archive")),
    (b"Rar!", gettext_lazy("a RAR archive")),
    (b"7z\xbc\xaf\x27\x1c", gettext_lazy("a 7-Zip archive")),
    (b"BZh", gettext_lazy("a bzip2 archive")),
    (b"\xfd7zXZ\x00", gettext_lazy("an XZ archive")),
    (b"GIF87a", gettext_lazy("a GIF image")),
    (b"GIF89a", gettext_lazy("a GIF image")),
    (b"II*\x00", gettext_lazy("a TIFF image")),
    (b"MM\x00*", gettext_lazy("a TIFF image")),
    (b"BM", gettext_lazy("a BMP image")),
    (b"\x00\x00\x01\x00", gettext_lazy("an icon file")),
    (b"8BPS", gettext_lazy("a Photoshop file")),
    (b"{\\rtf", gettext_lazy("an RTF document")),
    (b"%!PS", gettext_lazy("a PostScript file")),
)
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<meta")


def describe_content(head: bytes) -> str | None:
    """A human description of what these bytes look like ("an HTML page"), if we can tell."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"msf1", b"hevc", b"heim", b"heis"):
            return _("an HEIC photo (export it as JPEG)")
        if brand in (b"avif", b"avis"):
            return _("an AVIF image")
        return _("a video file")
    for signature, label in _OTHER_SIGNATURES:
        if head.startswith(signature):
            return str(label)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return _("an SVG image")
    if any(marker in text[:1024] for marker in _HTML_MARKERS):
        return _("an HTML page")
    if text.startswith(b"<?xml"):
        return _("an XML file")
    if text.startswith((b"{", b"[")):
        return _("a JSON or text file")
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the end of the sample is still text.
            if exc.start < len(head) - 3:
                return None
        return _("a text file")
    return None


def _human_types(content_types: Sequence[str]) -> str:
    labels = [LABELS.get(t, t) for t in content_types]
    if len(labels) <= 1:
        return "".join(labels)
    return _("%(first)s or %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def human_size(limit: int) -> str:
    mb = limit / (1024 * 1024)
    if mb >= 1:
        return f"{mb:.0f} MB" if mb == int(mb) else f"{mb:.1f} MB"
    return f"{max(1, limit // 1024)} KB"


# --- Reading ------------------------------------------------------------------------------


def read_bounded(file: UploadedFile | IO[bytes], max_bytes: int) -> bytes:
    """Read at most `max_bytes + 1` bytes in chunks; refuse the file past `max_bytes`.

    Never calls an unbounded `read()`, so a huge or endless stream cannot fill memory.
    """
    # A non-seekable stream is read from where it is.
    with contextlib.suppress(AttributeError, OSError, ValueError):
        file.seek(0)
    buffer = bytearray()
    while len(buffer) <= max_bytes:
        chunk = file.read(min(CHUNK_SIZE, max_bytes + 1 - len(buffer)))
        if not chunk:
            break
        buffer += chunk
    if len(buffer) > max_bytes:
        raise UploadRejected(MSG_TOO_LARGE % {"limit": human_size(max_bytes)})
    if not buffer:
        raise UploadRejected(MSG_EMPTY)
    return bytes(buffer)


# --- File names ---------------------------------------------------------------------------

_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$", re.IGNORECASE)
_UNSAFE_CHARS = re.compile(r'[<>:"|?*\\/]')
_EXTENSION = re.compile(r"^(?P<stem>.*?)\.(?P<ext>[A-Za-z0-9]{1,5})$")


def safe_filename(original_name: str, content_type: str) -> str:
    """A harmless display/download name: base name only, no control or bidi characters,
    no Windows-reserved names, at most MAX_NAME_LENGTH characters, and an extension that
    matches the real type (`../../etc/passwd.pdf` → `passwd.pdf`)."""
    name = unicodedata.normalize("NFC", str(original_name or ""))
    name = re.sub(r"[\t\n\r\v\f]", " ", name)
    # Cc: NUL and other controls; Cf: RTL/LTR overrides, zero-width and other format marks.
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_CHARS.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    extensions = EXTENSIONS.get(content_type, ())
    match = _EXTENSION.match(name)
    stem = name
    ext = extensions[0] if extensions else ""
    if match:
        stem = match.group("stem")
        if match.group("ext").lower() in extensions:
            ext = match.group("ext").lower()
    stem = stem.strip(" .")
    if not stem:
        stem = "document"
    if _WINDOWS_RESERVED.match(stem.split(".", 1)[0]):
        stem = f"_{stem}"
    suffix = f".{ext}" if ext else ""
    stem = stem[: MAX_NAME_LENGTH - len(suffix)].rstrip(" .") or "document"
    return f"{stem}{suffix}"


# --- PDFs ---------------------------------------------------------------------------------

# Raw-byte backstop for long names (a random 9+ byte match in compressed data is negligible).
_RAW_ACTIVE = re.compile(rb"/(JavaScript|Launch|EmbeddedFiles?|RichMedia\w*)(?=[\s/<>\[\]()%]|$)")
_RAW_KINDS = {
    b"JavaScript": "javascript",
    b"Launch": "launch",
    b"EmbeddedFile": "embedded",
    b"EmbeddedFiles": "embedded",
}
# Keys whose mere presence means active content.
_KEY_KINDS = {
    "/JS": "javascript",
    "/JavaScript": "javascript",
    "/EmbeddedFiles": "embedded",
    "/EmbeddedFile": "embedded",
    "/EF": "embedded",
    "/RichMediaContent": "richmedia",
    "/RichMediaSettings": "richmedia",
    "/XFA": "xfa",
}
# Action types (/S) and object types (/Type, /Subtype) that are active content.
_ACTION_KINDS = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/ImportData": "import",
    "/GoToE": "embedded",
    "/RichMediaExecute": "richmedia",
}
_TYPE_KINDS = {
    "/EmbeddedFile": "embedded",
    "/FileAttachment": "embedded",
    "/RichMedia": "richmedia",
    "/3D": "richmedia",
}


def _pdf_active_content(reader: Any) -> str | None:
    """Walk every object reachable from the trailer; return the first kind of active content.

    pypdf decodes name escapes (`/J#61vaScript`) and object streams, so the walk sees what
    a viewer sees, which a byte search would miss.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    stack: list[Any] = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    visited = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise UploadRejected(MSG_PDF_TOO_COMPLEX)
        if isinstance(node, DictionaryObject):
            for name, value in node.items():
                kind = _KEY_KINDS.get(str(name))
                if kind is None and name in ("/S",):
                    kind = _ACTION_KINDS.get(str(value))
                if kind is None and name in ("/Type", "/Subtype"):
                    kind = _TYPE_KINDS.get(str(value))
                if kind is not None:
                    return kind
                if name not in ("/Parent", "/P"):  # back-pointers: already on the path
                    stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return None


def check_pdf(content: bytes) -> int:
    """Parse `content` strictly and return its page count, or raise `UploadRejected`."""
    from pypdf import PdfReader

    raw = _RAW_ACTIVE.search(content)
    if raw is not None:
        raw_kind = _RAW_KINDS.get(raw.group(1), "richmedia")
        raise UploadRejected(MSG_PDF_ACTIVE % {"what": ACTIVE_CONTENT[raw_kind]})
    try:
        reader = PdfReader(io.BytesIO(content), strict=True)
        if reader.is_encrypted:
            raise UploadRejected(MSG_PDF_ENCRYPTED)
        pages = len(reader.pages)
        kind = _pdf_active_content(reader)
    except UploadRejected:
        raise
    except RecursionError:
        raise UploadRejected(MSG_PDF_TOO_COMPLEX) from None
    except Exception:  # hostile input can make a third-party parser raise anything
        raise UploadRejected(MSG_PDF_DAMAGED) from None
    if kind is not None:
        raise UploadRejected(MSG_PDF_ACTIVE % {"what": ACTIVE_CONTENT[kind]})
    if pages < 1:
        raise UploadRejected(MSG_PDF_NO_PAGES)
    return pages


# --- Images -------------------------------------------------------------------------------


def _output_mode(image: Image.Image, content_type: str) -> str:
    has_alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        image.mode == "P" and "transparency" in image.info
    )
    if content_type == JPEG:
        return "L" if image.mode in ("1", "L", "I", "I;16", "F") else "RGB"
    if image.mode in ("1", "L", "I", "I;16", "F") and content_type == PNG:
        return "L"
    return "RGBA" if has_alpha else "RGB"


def reencode_image(content: bytes, content_type: str) -> bytes:
    """Decode and re-encode from pixels only: orientation applied, all metadata dropped.

    Raises `UploadRejected` for damaged images and for images whose pixel count would make
    decoding a memory bomb (checked from the header, before any pixel is decoded).
    """
    try:
        with Image.open(io.BytesIO(content), formats=[PIL_FORMATS[content_type]]) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise UploadRejected(MSG_IMAGE_TOO_LARGE)
            image.seek(0)  # animated PNG/WebP: the first frame is the document
            oriented = ImageOps.exif_transpose(image)
            mode = _output_mode(oriented, content_type)
            converted = oriented if oriented.mode == mode else oriented.convert(mode)
            # A fresh image from raw pixels carries no info dict: no EXIF/GPS, XMP, ICC,
            # comments or text chunks can leak into the saved file (Pillow re-saves some).
            clean = Image.frombytes(mode, converted.size, converted.tobytes())
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejected(MSG_IMAGE_TOO_LARGE) from None
    except Exception:  # hostile input can make a decoder raise anything
        raise UploadRejected(MSG_IMAGE_DAMAGED) from None
    out = io.BytesIO()
    if content_type == JPEG:
        clean.save(out, "JPEG", quality=JPEG_QUALITY)
    elif content_type == PNG:
        clean.save(out, "PNG", optimize=False)
    else:
        clean.save(out, "WEBP", quality=JPEG_QUALITY)
    data = out.getvalue()
    if sniff_content_type(data[:16]) != content_type:  # pragma: no cover - Pillow invariant
        raise UploadRejected(MSG_IMAGE_MISMATCH)
    return data


# --- Entry points -------------------------------------------------------------------------


def validate_upload(
    file: UploadedFile | IO[bytes],
    *,
    original_name: str,
    allowed_content_types: Sequence[str],
    max_bytes: int,
) -> ValidatedFile:
    """Check one upload against a type list and a size limit; return what may be stored.

    Pure: reads `file` (at most `max_bytes + 1` bytes) and nothing else. Raises
    `UploadRejected` with a human reason.
    """
    allowed = [t for t in allowed_content_types if t in SUPPORTED_TYPES]
    content = read_bounded(file, max_bytes)
    sniffed = sniff_content_type(content[:16])
    expected = _human_types(allowed)
    if sniffed is None:
        described = describe_content(content[:2048])
        if described is None:
            raise UploadRejected(MSG_UNKNOWN_FORMAT % {"expected": expected})
        raise UploadRejected(MSG_NOT_TYPE % {"expected": expected, "actual": described})
    if sniffed not in allowed:
        actual = _("PDF") if sniffed == PDF else _("%(kind)s image") % {"kind": LABELS[sniffed]}
        raise UploadRejected(MSG_WRONG_TYPE % {"expected": expected, "actual": actual})
    pages: int | None = None
    if sniffed == PDF:
        pages = check_pdf(content)
    else:
        content = reencode_image(content, sniffed)
    return ValidatedFile(
        content=content,
        content_type=sniffed,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        safe_name=safe_filename(original_name, sniffed),
        pages=pages,
    )


def validate_pdf(
    file: UploadedFile | IO[bytes], *, original_name: str, max_bytes: int
) -> ValidatedFile:
    """`validate_upload` for PDF-only uploads (letters)."""
    return validate_upload(
        file, original_name=original_name, allowed_content_types=[PDF], max_bytes=max_bytes
    )
