"""The provider's logo: PNG, JPEG or WebP, recognized by its first bytes (never by its name),
at most `LOGO_MAX_BYTES`, decoded and re-encoded from pixels so no metadata or trailing
payload survives. SVG is refused on purpose: it can carry script.

The same idea as `matchway.documents.validation` (which organization may not import)."""

from __future__ import annotations

import io
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

LOGO_MAX_BYTES = 1 * 1024 * 1024
LOGO_MAX_PIXELS = 4000 * 4000
LOGO_MAX_SIDE = 800  # larger logos are scaled down: the header shows them 40px high

PNG, JPEG, WEBP = "image/png", "image/jpeg", "image/webp"
EXTENSIONS = {PNG: "png", JPEG: "jpg", WEBP: "webp"}
_PIL = {PNG: "PNG", JPEG: "JPEG", WEBP: "WEBP"}


def logo_sniff(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def logo_validate(file: IO[bytes]) -> tuple[bytes, str]:
    """The cleaned image bytes and their content type, or `ValidationError`."""
    content = file.read(LOGO_MAX_BYTES + 1)
    if len(content) > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo is larger than 1 MB. Save a smaller image."))
    content_type = logo_sniff(content[:16])
    if content_type is None:
        raise ValidationError(
            _("This file is not a PNG, JPEG or WebP image (whatever its name says).")
        )
    try:
        with Image.open(io.BytesIO(content), formats=[_PIL[content_type]]) as image:
            width, height = image.size
            if width * height > LOGO_MAX_PIXELS:
                raise ValidationError(_("The image has too many pixels for a logo."))
            image.seek(0)
            oriented = ImageOps.exif_transpose(image)
            mode = "RGB" if content_type == JPEG else "RGBA"
            converted = oriented.convert(mode)
            converted.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
            clean = Image.frombytes(mode, converted.size, converted.tobytes())
    except ValidationError:
        raise
    except Exception:  # hostile input can make a decoder raise anything
        raise ValidationError(_("The image could not be read; it may be damaged.")) from None
    out = io.BytesIO()
    if content_type == JPEG:
        clean.save(out, "JPEG", quality=90)
    else:
        clean.save(out, _PIL[content_type])
    return out.getvalue(), content_type
