"""The applicant's dashboard: a to-do list first (each app contributes `todos(request)`),
compact application cards, the applicant's header menu and "My certificates"."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matchway.core import clock
from matchway.documents.models import DocumentStatus
from matchway.documents.tests.factories import DocumentFactory
from matchway.experience.models import Certificate, RenderState
from matchway.experience.tests.factories import completed_application, running_application
from matchway.letters.models import LetterStatus
from matchway.letters.services.compose import letter_request_create
from matchway.letters.tests.factories import request_input
from matchway.rotations.models import Application, ApplicationStatus
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    DocumentTypeFactory,
    RotationFactory,
    RotationSessionFactory,
)

# Wednesday 2 Dec 2026, 15:00 in New York (20:00 UTC).
NOW = dt.datetime(2026, 12, 2, 20, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


def _held(applicant: Any, *, hours: int, doc_type: Any = None) -> Application:
    """An accepted application whose hold ends in `hours`, with a required document."""
    rotation = RotationFactory(required_document_types=[doc_type or DocumentTypeFactory()])
    session = RotationSessionFactory(rotation=rotation)
    return ApplicationFactory(
        applicant=applicant,
        session=session,
        status=ApplicationStatus.ACCEPTED,
        hold_expires_at=clock.now() + dt.timedelta(hours=hours),
    )


def _scenario(applicant: Any) -> dict[str, Any]:
    """One item of every kind, with deadlines in an order unlike the apps' order."""
    held = _held(applicant, hours=20)  # documents + deposit: due in 20 hours
    running = running_application(applicant=applicant, started_days_ago=24, length_days=27)
    running.payments.create(amount_cents=running.session.rotation.price_cents, method="card")
    expiring = DocumentFactory(
        owner=applicant,
        status=DocumentStatus.VERIFIED,
        expires_on=clock.provider_today() + dt.timedelta(days=5),
    )
    rejected = DocumentFactory(owner=applicant, status=DocumentStatus.REJECTED, reason="Blurry")
    letter = letter_request_create(
        actor=applicant,
        data=request_input(due_date=clock.provider_today() + dt.timedelta(days=10)),
        send=False,
    )
    return {
        "held": held,
        "running": running,
        "expiring": expiring,
        "rejected": rejected,
        "letter": letter,
    }


def test_todos_are_ordered_by_deadline_across_apps(
    applicant_client: Client, applicant: Any, time_machine: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    rows = _scenario(applicant)
    assert rows["letter"].status == LetterStatus.DRAFT

    response = applicant_client.get(reverse("dashboard"))

    assert response.status_code == 200
    todos = response.context["todos"]
    assert [t["kind"] for t in todos] == [
        "documents",  # hold ends in 20 hours
        "deposit",  # same hold
        "self-assessment",  # rotation ends in 3 days
        "document",  # expires in 5 days
        "letter-draft",  # letter due in 10 days
        "document",  # rejected: no deadline, last
    ]
    dues = [t["due_at"] for t in todos if t["due_at"] is not None]
    assert dues == sorted(dues)
    assert todos[0]["due_at"] == rows["held"].hold_expires_at
    # The page shows them in that order, to-do list before the application cards.
    html = response.content.decode()
    assert re.findall(r'class="todo-item" data-kind="([a-z-]+)"', html) == [
        t["kind"] for t in todos
    ]
    assert html.index("todo-list") < html.index("application-card")


def test_each_todo_has_the_button_that_does_it(
    applicant_client: Client, applicant: Any, time_machine: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    rows = _scenario(applicant)

    todos = applicant_client.get(reverse("dashboard")).context["todos"]

    urls = {(t["kind"], t["action_url"], t.get("action_method", "get")) for t in todos}
    held, running, letter = rows["held"], rows["running"], rows["letter"]
    assert urls == {
        ("documents", reverse("documents:vault"), "get"),
        ("deposit", reverse("rotations:application", args=[held.pk]) + "#money-heading", "get"),
        ("self-assessment", reverse("experience:self-assessment", args=[running.pk]), "post"),
        ("document", reverse("documents:vault"), "get"),
        ("letter-draft", reverse("letters:request-detail", args=[letter.pk]), "get"),
    }
    # Every action answers for the applicant (the POST one starts the self-assessment).
    for kind, url, method in urls:
        if method == "post":
            response = applicant_client.post(url)
            assert response.status_code == 302, kind
            assert "/evaluations/" in response["Location"]
        else:
            assert applicant_client.get(url).status_code == 200, kind


def test_done_things_leave_the_list(
    applicant_client: Client, applicant: Any, time_machine: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    doc_type = DocumentTypeFactory()
    held = _held(applicant, hours=20, doc_type=doc_type)
    DocumentFactory(owner=applicant, type=doc_type, status=DocumentStatus.UPLOADED)
    held.payments.create(
        amount_cents=held.session.rotation.deposit_cents, method="card", recorded_by=applicant
    )
    completed_application(applicant=applicant, ended_days_ago=30)  # long over: not asked

    response = applicant_client.get(reverse("dashboard"))

    # The upload waits for the coordinators, the deposit is paid: nothing for the applicant.
    assert response.context["todos"] == []
    assert "Nothing to do right now" in response.content.decode()


def test_due_time_is_shown_in_the_viewers_zone(
    kolkata_client: Client, kolkata_applicant: Any, time_machine: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    _held(kolkata_applicant, hours=20)  # ends 16:00 UTC on Thursday = 21:30 in Kolkata

    html = kolkata_client.get(reverse("dashboard")).content.decode()

    assert "Thu 3 Dec, 21:30 IST" in html


def test_empty_state_offers_next_steps(applicant_client: Client) -> None:
    html = applicant_client.get(reverse("dashboard")).content.decode()

    assert "Nothing to do right now" in html
    assert reverse("rotations:catalog") in html
    assert reverse("documents:vault") in html


def test_cards_are_compact_and_list_only_what_is_still_needed(
    applicant_client: Client, applicant: Any, time_machine: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    passport = DocumentTypeFactory(code="passport", name="Passport scan")
    cv = DocumentTypeFactory(name="Curriculum vitae")
    DocumentFactory(owner=applicant, type=cv, status=DocumentStatus.VERIFIED)
    for _ in range(3):
        rotation = RotationFactory(required_document_types=[passport, cv])
        ApplicationFactory(
            applicant=applicant,
            session=RotationSessionFactory(rotation=rotation),
            status=ApplicationStatus.SUBMITTED,
        )

    response = applicant_client.get(reverse("dashboard"))
    html = response.content.decode()

    # One to-do for the three applications under review: the passport, no deposit yet.
    [todo] = response.context["todos"]
    assert (todo["kind"], todo["due_at"], todo["title"]) == (
        "documents",
        None,
        "Upload Passport scan",
    )
    assert "3 applications" in todo["detail"]
    assert html.count('class="application-card"') == 3
    # No per-card checklist or history: one "still needed" line each, without the verified CV.
    assert 'class="checklist"' not in html
    assert "History" not in html
    assert html.count("Still needed:") == 3
    needed = re.findall(r'<p class="still-needed">(.*?)</p>', html, re.S)
    assert all("Passport scan" in n and "Curriculum vitae" not in n for n in needed)
    # The vault summary (the document checklist) appears once.
    assert html.count("Open your document vault") == 1


def _dashboard_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("dashboard")).status_code == 200
    return len(ctx.captured_queries)


# 21: the rotations panel also reads refunds for the ledger (payments were already read).
DASHBOARD_QUERIES = 21


def test_dashboard_queries_do_not_grow_with_applications(
    applicant_client: Client, applicant: Any, time_machine: Any, django_assert_num_queries: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    _scenario(applicant)
    _dashboard_queries(applicant_client)  # warm caches (site, specialties)
    one = _dashboard_queries(applicant_client)
    _scenario(applicant)
    _scenario(applicant)
    three = _dashboard_queries(applicant_client)
    assert one == three
    # Pinned with one item of every kind: the to-dos add one query each for documents,
    # experience and letters; rotations shares the six of its panel.
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = applicant_client.get(reverse("dashboard"))
    assert len(response.context["todos"]) == 18


# --- header ------------------------------------------------------------------------------

APPLICANT_LINKS = [
    "documents:vault",
    "experience:index",
    "letters:request-list",
    "statements:list",
    "certificates:list",
]


def _header(client: Client) -> str:
    html = client.get(reverse("dashboard")).content.decode()
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def test_applicant_header_reaches_their_work(applicant_client: Client) -> None:
    header = _header(applicant_client)
    for name in APPLICANT_LINKS:
        assert f'href="{reverse(name)}"' in header, name
    assert "My work" in header and "<details" in header
    assert reverse("messaging:inbox") in header
    assert reverse("notifications:list") in header


@pytest.mark.parametrize("persona", ["preceptor_client", "coordinator_client"])
def test_staff_headers_have_no_applicant_menu(persona: str, request: Any) -> None:
    header = _header(request.getfixturevalue(persona))
    assert "My work" not in header
    assert f'href="{reverse("documents:vault")}"' not in header
    assert reverse("messaging:inbox") in header


def test_coordinator_header_keeps_staff_links(coordinator_client: Client) -> None:
    header = _header(coordinator_client)
    assert reverse("home:audit-log") in header
    assert reverse("organization:manage") in header


# --- my certificates ---------------------------------------------------------------------


def _certificate(application: Application, by: Any, number: str, **extra: Any) -> Certificate:
    return Certificate.objects.create(
        number=number,
        application=application,
        hours=40,
        issued_by=by,
        payload={},
        signature="x",
        render_state=RenderState.DONE,
        pdf="certificates/x.pdf",
        **extra,
    )


def test_my_certificates_lists_only_my_own(
    applicant_client: Client, applicant: Any, outsider: Any, coordinator: Any
) -> None:
    _certificate(completed_application(applicant=applicant), coordinator, "MW-MINEMINE01")
    _certificate(completed_application(applicant=outsider), coordinator, "MW-THEIRS0001")

    response = applicant_client.get(reverse("certificates:list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "My certificates" in html
    assert "MW-MINEMINE01" in html
    assert reverse("certificates:verify", args=["MW-MINEMINE01"]) in html
    assert reverse("certificates:download", args=["MW-MINEMINE01"]) in html
    assert "MW-THEIRS0001" not in html


def test_a_revoked_certificate_offers_no_download(
    applicant_client: Client, applicant: Any, coordinator: Any
) -> None:
    _certificate(
        completed_application(applicant=applicant),
        coordinator,
        "MW-REVOKED001",
        revoked_at=clock.now(),
    )
    html = applicant_client.get(reverse("certificates:list")).content.decode()
    assert "Revoked" in html
    assert reverse("certificates:download", args=["MW-REVOKED001"]) not in html


def test_coordinators_still_see_every_certificate(
    coordinator_client: Client, applicant: Any, outsider: Any, coordinator: Any
) -> None:
    _certificate(completed_application(applicant=applicant), coordinator, "MW-MINEMINE01")
    _certificate(completed_application(applicant=outsider), coordinator, "MW-THEIRS0001")
    html = coordinator_client.get(reverse("certificates:list")).content.decode()
    assert "MW-MINEMINE01" in html and "MW-THEIRS0001" in html


def test_preceptors_have_no_certificate_list(preceptor_client: Client) -> None:
    assert preceptor_client.get(reverse("certificates:list")).status_code == 403
