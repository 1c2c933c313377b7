"""seed_demo, load_reference_data, run_periodic and the task backends."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from matchway.accounts.models import User
from matchway.reference.eras import UnknownFact, eras_fact
from matchway.reference.models import Competency, Specialty, State


@pytest.mark.django_db
def test_load_reference_data_is_idempotent():
    call_command("load_reference_data", stdout=StringIO())
    call_command("load_reference_data", stdout=StringIO())
    assert Specialty.objects.get(code="140").name.startswith("Internal Medicine")
    assert State.objects.filter(code="NY").exists()
    assert Competency.objects.filter(framework="ACGME_CORE_COMPETENCY").count() == 6


def test_eras_facts_are_data_not_constants():
    fact = eras_fact("experiences.description_max_chars")
    assert fact.value == 750
    assert fact.source.startswith("https://")
    assert fact.season
    with pytest.raises(UnknownFact):
        eras_fact("experiences.nope")
    with pytest.raises(UnknownFact):
        eras_fact("_meta.note")


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
@override_settings(DEBUG=True)
def test_seed_demo_is_idempotent_and_prints_logins():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    counts = User.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert User.objects.count() == counts
    for role in ("applicant", "preceptor", "coordinator"):
        user = User.objects.get(email=f"{role}@example.com")
        assert user.role == role
        assert user.check_password("matchway-demo")
        assert f"{role}@example.com" in out.getvalue()


@pytest.mark.django_db
def test_run_periodic_runs_every_app_job():
    out = StringIO()
    call_command("run_periodic", stdout=out)
    assert "failed" not in out.getvalue()


# --- tasks ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_enqueue_on_commit_waits_for_the_commit(django_capture_on_commit_callbacks):
    from matchway.core.tasks import enqueue_on_commit
    from tests.tasks_for_tests import ran, record_task

    ran.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit(record_task, "hello")
        assert ran == [], "nothing runs before the commit"
    assert len(callbacks) == 1
    assert ran == ["hello"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_database_task_backend_runs_a_task_on_this_database(settings):
    """Smoke test of django-tasks-db on SQLite and PostgreSQL (both passes run it)."""
    from django_tasks import task_backends

    from tests.tasks_for_tests import record_db_task

    # django-tasks resets its backends on setting_changed.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert type(task_backends["default"]).__name__ == "DatabaseBackend"
    result = record_db_task.enqueue(connection.vendor)
    assert result.status.name == "READY"
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
    result.refresh()
    assert result.status.name == "SUCCESSFUL"
    assert result.return_value == f"done on {connection.vendor}"
