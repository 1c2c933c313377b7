"""Check one certificate offline: `manage.py verify_certificate <pdf-or-number>`.

Given a PDF, the number is read from its metadata (or its text). The stored facts are
verified against the Ed25519 public key (the configured one, a retired one by key id, or
`--public-key FILE`), checked against the certificate row, and — for a PDF — against what
the PDF prints. Exit status: 0 valid, 1 not valid (revoked, bad signature, mismatch,
unknown number), 2 the input could not be read.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matchway.core import signing
from matchway.experience.selectors_pages import certificate_get_public
from matchway.experience.services.certificates import certificate_verify

NUMBER_RE = re.compile(r"MW-[A-Z2-7]{10}")


def _squash(text: str) -> str:
    return " ".join(text.split())


def read_pdf(path: Path) -> tuple[str | None, str]:
    """(number found in metadata or text, the PDF's text)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        metadata: dict[str, Any] = dict(reader.metadata or {})
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (OSError, PdfReadError, ValueError) as exc:
        raise CommandError(f"Cannot read {path}: {exc}", returncode=2) from exc
    for key in ("/Keywords", "/Title", "/Subject"):
        found = NUMBER_RE.search(str(metadata.get(key, "") or ""))
        if found:
            return found.group(0), text
    found = NUMBER_RE.search(text)
    return (found.group(0) if found else None), text


class Command(BaseCommand):
    help = "Verify a certificate (PDF file or number) against its signature and the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", help="A certificate PDF, or a number like MW-ABCDEFGH23.")
        parser.add_argument(
            "--public-key",
            dest="public_key",
            help="Verify with this PEM public key instead of the configured keys.",
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        target = str(options["target"])
        path = Path(target)
        pdf_text: str | None = None
        if path.suffix.lower() == ".pdf" or path.is_file():
            if not path.is_file():
                raise CommandError(f"No such file: {path}", returncode=2)
            number, pdf_text = read_pdf(path)
            if number is None:
                raise CommandError("No certificate number found in the PDF.", returncode=2)
        else:
            number = target.strip().upper()
        certificate = certificate_get_public(number)
        problems: list[str] = []
        if certificate is None:
            self._report(
                {"number": number, "valid": False, "problems": ["unknown number"]}, options
            )
            raise CommandError(f"{number}: no such certificate.", returncode=1)
        result = certificate_verify(certificate)
        signature_ok = result.signature_valid
        if options.get("public_key"):
            key = signing.load_public_key_pem(Path(options["public_key"]).read_bytes())
            signature_ok = (
                signing.verify_facts(result.facts, certificate.signature, public_key=key)
                and result.facts.get("number") == certificate.number
            )
        if not signature_ok:
            problems.append("the signature does not match the stored facts")
        if result.revoked:
            problems.append(f"revoked: {result.revoked_reason}")
        if pdf_text is not None:
            printed = _squash(pdf_text)
            for field in ("number", "applicant_name", "kind_statement", "confirmed_hours"):
                value = _squash(str(result.facts.get(field, "")))
                if value and value not in printed:
                    problems.append(f"the PDF does not show the signed {field.replace('_', ' ')}")
        valid = not problems
        self._report(
            {
                "number": number,
                "valid": valid,
                "signature_valid": signature_ok,
                "revoked": result.revoked,
                "key_id": certificate.key_id,
                "facts": result.facts,
                "problems": problems,
            },
            options,
        )
        if not valid:
            raise CommandError(f"{number}: NOT VALID", returncode=1)

    def _report(self, data: dict[str, Any], options: dict[str, Any]) -> None:
        if options.get("json"):
            self.stdout.write(json.dumps(data, indent=2, sort_keys=True))
            return
        self.stdout.write(f"Certificate {data['number']}")
        facts = data.get("facts") or {}
        for label, key in (
            ("Name", "applicant_name"),
            ("Rotation", "rotation_title"),
            ("Kind", "kind_statement"),
            ("Dates", "start_date"),
            ("Confirmed hours", "confirmed_hours"),
            ("Issued", "issued_on"),
        ):
            if key in facts:
                value = facts[key]
                if key == "start_date":
                    value = f"{facts.get('start_date')} – {facts.get('end_date')}"
                self.stdout.write(f"  {label}: {value}")
        for problem in data.get("problems", []):
            self.stdout.write(self.style.ERROR(f"  ✗ {problem}"))
        if data.get("valid"):
            self.stdout.write(self.style.SUCCESS("  ✓ VALID: signature verified, facts match"))
