"""Gunicorn settings for production: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

The logger class masks secret-link tokens in gunicorn's access and error logs
(docs/dev/tokens.md), whichever of them is enabled. The rest can be overridden from the
environment (GUNICORN_*; .env.example) or the command line. nginx in front buffers uploads
and responses (deploy/nginx/matchway-locations.conf), so sync workers never wait on a slow
client, and private files leave through X-Accel-Redirect, so a large download never holds a
worker (docs/ops/).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two per core plus one is gunicorn's rule of thumb for sync workers; PostgreSQL connections
# per host = workers (CONN_MAX_AGE keeps one open each; docs/ops/scaling-out.md).
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "sync"
# nginx's proxy_read_timeout is 70 s: gunicorn decides first.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On SIGTERM/HUP, requests in flight get this long to finish (zero-downtime restarts).
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow forever; jitter avoids all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Only nginx talks to gunicorn; Django reads X-Forwarded-For itself (TRUSTED_PROXY_COUNT).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None  # empty: no access log
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
proc_name = "matchway-web"

logger_class = "matchway.core.gunicorn.MaskingGunicornLogger"
