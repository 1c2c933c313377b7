#!/usr/bin/env bash
# The PostgreSQL pass: every non-browser test against TEST_DATABASE_URL (arg 1), so a query
# only SQLite accepts cannot land. Tests marked sqlite_only (with a reason) are deselected.
# Extra arguments go to pytest (the Makefile passes $(XDIST)).
# Unreachable PostgreSQL: a clearly printed skip, or a failure with MATCHWAY_REQUIRE_PG=1.
set -euo pipefail
url="$1"
shift
if ! .venv/bin/python - "$url" <<'PY'
import sys
import psycopg
try:
    psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://", 1).rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable: {exc}")
    sys.exit(1)
PY
then
  if [ "${MATCHWAY_REQUIRE_PG:-0}" = "1" ]; then
    echo "FAIL: MATCHWAY_REQUIRE_PG=1 and PostgreSQL is not reachable at $url" >&2
    exit 1
  fi
  echo "SKIPPED: PostgreSQL tests (no server at $url; set MATCHWAY_REQUIRE_PG=1 to make this fail)."
  exit 0
fi
echo "PostgreSQL pass against $url (every non-browser test)"
DATABASE_URL="$url" .venv/bin/pytest "$@" -m "not browser and not sqlite_only" -p no:cacheprovider --create-db
