"""The database a test's own subprocesses (a second server) must use: the pytest test
database, SQLite file or PostgreSQL, so the PostgreSQL pass runs those tests too."""

from __future__ import annotations

from django.conf import settings


def database_url_for_subprocess() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = f"{db['USER']}:{db['PASSWORD']}@" if db.get("USER") else ""
    return f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
