"""A lock timeout on any write is 503 busy with Retry-After, never a 500 (DESIGN.md
invariant 5; docs/dev/errors.md). The lock is real: another connection holds it."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory

from matchway.accounts.tests.factories import UserFactory
from matchway.core.middleware import ApplicationErrorMiddleware


def _assert_busy_json(response) -> None:
    assert response.status_code == 503, response.content[:300]
    assert response["Retry-After"].isdigit()
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "busy"
    assert body["message"]


@pytest.mark.sqlite_only(reason="SQLite's file lock; PostgreSQL has its own test below")
@pytest.mark.django_db(transaction=True)
def test_patch_me_under_a_sqlite_write_lock_is_503_busy():
    user = UserFactory(role="applicant")
    client = Client()
    client.force_login(user)
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 200")  # the request gives up after 0.2 s
    holder = sqlite3.connect(connection.settings_dict["NAME"], timeout=0.2)
    try:
        holder.execute("BEGIN IMMEDIATE")  # the write lock, held by someone else
        response = client.patch(
            "/api/v1/me", data={"full_name": "New Name"}, content_type="application/json"
        )
    finally:
        holder.rollback()
        holder.close()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 20000")
    _assert_busy_json(response)
    user.refresh_from_db()
    assert user.full_name != "New Name"


@pytest.mark.pg_only
@pytest.mark.django_db(transaction=True)
def test_patch_me_under_a_postgres_row_lock_is_503_busy():
    import psycopg

    user = UserFactory(role="applicant")
    client = Client()
    client.force_login(user)
    settings_dict = connection.settings_dict
    holder = psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
        password=settings_dict["PASSWORD"] or None,
    )
    from psycopg import sql

    lock_row = sql.SQL("SELECT 1 FROM {} WHERE id = %s FOR UPDATE").format(
        sql.Identifier(user._meta.db_table)
    )
    try:
        holder.execute(lock_row, [user.pk])
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
        response = client.patch(
            "/api/v1/me", data={"full_name": "New Name"}, content_type="application/json"
        )
    finally:
        holder.rollback()
        holder.close()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
    _assert_busy_json(response)


def test_other_database_errors_are_not_called_busy():
    from matchway.core.locking import is_lock_timeout

    assert not is_lock_timeout(OperationalError("no such table: x"))
    assert not is_lock_timeout(ValueError("database is locked"))
    assert is_lock_timeout(OperationalError("database is locked"))


@pytest.mark.django_db
def test_a_page_that_hits_a_lock_timeout_gets_the_busy_page():
    """The page safety net: the same OperationalError Django raises on SQLite's lock."""
    request = RequestFactory().post("/accounts/profile/")
    request.user = UserFactory(role="applicant")
    middleware = ApplicationErrorMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]
    response = middleware.process_exception(request, OperationalError("database is locked"))
    assert response is not None
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "text/html" in response["Content-Type"]


@pytest.mark.django_db
def test_api_paths_are_left_to_the_api_handlers():
    request = RequestFactory().post("/api/v1/me")
    middleware = ApplicationErrorMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]
    assert middleware.process_exception(request, OperationalError("database is locked")) is None
