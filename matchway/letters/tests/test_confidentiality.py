"""Invariant 3: a waived letter never reaches its applicant — not its bytes, file name, size
(in bytes or human form), page count or hash — in any page, API answer or email.

`_secrets` lists what must not appear; `_scan` looks for each in a response. A control test
runs the same scan on a NOT waived letter and must find them, so the scanner is proven to
see what it looks for.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core import mail
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse

from matchway.letters.models import Letter, LetterRequest
from matchway.letters.selectors import SYSTEM, letter_get
from matchway.letters.services.assignments import letter_assign

from .factories import uploaded_request

pytestmark = pytest.mark.django_db


def _secrets(letter: Letter) -> dict[str, re.Pattern[bytes]]:
    """Byte patterns for everything that identifies the letter (responses are scanned raw)."""
    with letter.file.open("rb") as handle:
        content = handle.read()
    size = letter.size or 0
    # filesizeformat joins number and unit with a no-break space (UTF-8 C2 A0, or &nbsp;).
    number, unit = str(filesizeformat(size)).split("\xa0")
    stem = letter.original_name.rsplit(".", 1)[0]
    # Samples from inside the page streams: the header and object syntax are the same in
    # every PDF we generate (the brag sheet too), the compressed page content is not.
    starts = [m.end() for m in re.finditer(rb"stream\r?\n", content)][:3]
    assert starts, "the sample letter has page streams"
    samples = {
        f"bytes@{offset}": re.compile(re.escape(content[offset + 4 : offset + 28]))
        for offset in starts
    }
    return {
        **samples,
        "name": re.compile(re.escape(letter.original_name.encode())),
        "name_stem": re.compile(re.escape(stem.encode())),
        "size_bytes": re.compile(rf"(?<![\w.]){size}(?![\w.])".encode()),
        "size_human": re.compile(
            re.escape(number.encode()) + rb"(?:\s|\xc2\xa0|&nbsp;|&#160;)" + unit.encode()
        ),
        "pages_text": re.compile(rf"\b{letter.pages}\s*pages?\b".encode(), re.IGNORECASE),
        "pages_key": re.compile(rb"[\"']pages[\"']"),
        "sha256": re.compile(letter.sha256.encode()),
        "sha256_prefix": re.compile(letter.sha256[:12].encode()),
    }


def _scan(label: str, data: bytes | str, secrets: dict[str, re.Pattern[bytes]]) -> list[str]:
    raw = data.encode() if isinstance(data, str) else data
    return [f"{label}: {name}" for name, pattern in secrets.items() if pattern.search(raw)]


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _applicant_responses(client: Client, req: LetterRequest, letter: Letter) -> dict[str, Any]:
    pk = req.pk
    responses: dict[str, Any] = {
        "dashboard": client.get(reverse("dashboard")),
        "request-list": client.get(reverse("letters:request-list")),
        "request-detail": client.get(reverse("letters:request-detail", args=[pk])),
        "request-edit": client.get(reverse("letters:request-edit", args=[pk]), follow=True),
        "brag-pdf": client.get(reverse("letters:request-brag-sheet", args=[pk, "pdf"])),
        "brag-txt": client.get(reverse("letters:request-brag-sheet", args=[pk, "txt"])),
        "letter-download": client.get(reverse("letters:request-letter", args=[pk])),
        "assignments": client.get(reverse("letters:assignments")),
        "api-list": client.get("/api/v1/me/letter-requests"),
        "api-detail": client.get(f"/api/v1/me/letter-requests/{pk}"),
        "api-nudge-error": client.post(
            f"/api/v1/me/letter-requests/{pk}/nudge", content_type="application/json"
        ),
        "nudge-error-page": client.post(reverse("letters:request-nudge", args=[pk]), follow=True),
        "renew-error-page": client.post(reverse("letters:request-renew", args=[pk]), follow=True),
        "guidance": client.get(reverse("letters:compose-guidance")),
    }
    return responses


@pytest.mark.parametrize("final", [True, False], ids=["final", "not-final"])
def test_waived_letter_never_reaches_the_applicant(
    applicant: Any, applicant_client: Client, final: bool
) -> None:
    req = uploaded_request(applicant, final=final, waived=True)
    letter = letter_get(viewer=SYSTEM, letter_request=req)
    assert letter is not None
    assert letter.has_file
    letter_assign(actor=applicant, letter_id=letter.pk, program_label="Lakeside IM")
    secrets = _secrets(letter)

    responses = _applicant_responses(applicant_client, req, letter)
    assert responses["letter-download"].status_code == 404
    assert responses["request-detail"].status_code == 200
    assert b"Uploaded" in _body(responses["request-detail"])
    found: list[str] = []
    for label, response in responses.items():
        assert response.status_code < 500, label
        found += _scan(label, _body(response), secrets)
        for name, value in response.items():
            found += _scan(f"{label} header {name}", value, secrets)

    api = responses["api-detail"].json()
    assert api["status"] == "uploaded"
    assert api["letter"] is None

    # Withdrawing is the last applicant action on it: its answer and email are scanned too.
    withdrawn = applicant_client.post(
        f"/api/v1/me/letter-requests/{req.pk}/withdraw", content_type="application/json"
    )
    assert withdrawn.status_code == 200
    found += _scan("api-withdraw", _body(withdrawn), secrets)

    applicant_mail = [m for m in mail.outbox if applicant.email in m.to]
    assert applicant_mail, "the applicant is told the letter arrived"
    for message in applicant_mail:
        parts = [message.subject, message.body] + [alt[0] for alt in message.alternatives]
        assert not message.attachments
        for part in parts:
            found += _scan(f"email {message.subject!r}", str(part), secrets)
    assert found == []


def test_control_the_scanner_finds_a_letter_that_is_not_waived(
    applicant: Any, applicant_client: Client
) -> None:
    req = uploaded_request(applicant, final=True, waived=False)
    letter = letter_get(viewer=SYSTEM, letter_request=req)
    assert letter is not None
    secrets = _secrets(letter)
    detail = _body(applicant_client.get(reverse("letters:request-detail", args=[req.pk])))
    download = applicant_client.get(reverse("letters:request-letter", args=[req.pk]))
    api = applicant_client.get(f"/api/v1/me/letter-requests/{req.pk}").json()
    found = {f.split(": ")[1] for f in _scan("detail", detail, secrets)}
    assert {"size_human", "pages_text"} <= found
    assert download.status_code == 200
    assert _scan("download", _body(download), secrets)
    # Not the writer's file name: only the writer sees it (docs/dev/phi-guard.md).
    assert {"sha256", "size_bytes", "pages_key"} <= {
        f.split(": ")[1] for f in _scan("api", json.dumps(api), secrets)
    }


def test_outsider_and_other_roles_never_see_the_letter(
    applicant: Any,
    outsider_client: Client,
    preceptor_client: Client,
    coordinator_client: Client,
    anonymous: Client,
) -> None:
    req = uploaded_request(applicant, final=True, waived=False)
    urls = [
        reverse("letters:request-detail", args=[req.pk]),
        reverse("letters:request-letter", args=[req.pk]),
        reverse("letters:request-brag-sheet", args=[req.pk, "pdf"]),
        reverse("letters:writing-detail", args=[req.pk]),
        reverse("letters:writing-letter", args=[req.pk]),
        reverse("letters:coordinator-letter", args=[req.pk]),
        f"/api/v1/me/letter-requests/{req.pk}",
    ]
    for url in urls:
        assert outsider_client.get(url).status_code in (403, 404), url
        assert preceptor_client.get(url).status_code in (403, 404), url
        assert coordinator_client.get(url).status_code in (403, 404), url
        response = anonymous.get(url)
        assert response.status_code in (302, 401), url


def test_coordinator_sees_letter_only_when_routed(
    applicant: Any, coordinator_client: Client
) -> None:
    hidden = uploaded_request(applicant, waived=True, route_to_coordinators=False)
    shared = uploaded_request(
        applicant, waived=True, route_to_coordinators=True, writer_email="shared@example.org"
    )
    page = _body(coordinator_client.get(reverse("letters:coordinator-list"))).decode()
    assert reverse("letters:coordinator-letter", args=[shared.pk]) in page
    assert reverse("letters:coordinator-letter", args=[hidden.pk]) not in page
    assert (
        coordinator_client.get(reverse("letters:coordinator-letter", args=[hidden.pk])).status_code
        == 404
    )
    response = coordinator_client.get(reverse("letters:coordinator-letter", args=[shared.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="letter-{shared.pk}.pdf"'
