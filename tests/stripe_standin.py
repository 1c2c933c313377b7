"""A local stand-in for Stripe's API and Checkout page, so tests never reach the network.

- `POST /v1/checkout/sessions` (what `stripe.checkout.Session.create` sends, form-encoded)
  is recorded in `requests` and answered with a Checkout Session whose `url` points at this
  server.
- `GET /pay/<id>` is a minimal payment page; `POST /pay/<id>` "pays": it delivers a
  `checkout.session.completed` event, signed with the test's webhook secret exactly as Stripe
  signs (`t=<unix>,v1=<HMAC-SHA256 of "<t>.<payload>">`), to `webhook_url`, then redirects to
  the session's `success_url`.

Point the library at it with `stripe.api_base = standin.base_url`.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import itertools
import json
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header Stripe would send for `payload`."""
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def unflatten(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's form encoding (`a[b][0][c]=v`) back into nested dicts and lists."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node: Any = root
        for part, nxt in itertools.pairwise(parts):
            container: Any = [] if nxt.isdigit() else {}
            if isinstance(node, list):
                index = int(part)
                while len(node) <= index:
                    node.append(None)
                node[index] = node[index] if node[index] is not None else container
                node = node[index]
            else:
                node = node.setdefault(part, container)
        last = parts[-1]
        if isinstance(node, list):
            index = int(last)
            while len(node) <= index:
                node.append(None)
            node[index] = value
        else:
            node[last] = value
    return root


def completed_event(session: dict[str, Any], event_id: str, **changes: Any) -> dict[str, Any]:
    obj = {
        "id": session["id"],
        "object": "checkout.session",
        "client_reference_id": session.get("client_reference_id"),
        "metadata": session.get("metadata", {}),
        "amount_total": session["amount_total"],
        "currency": session["currency"],
        "payment_status": "paid",
        "payment_intent": session["payment_intent"],
        **changes,
    }
    return {
        "id": event_id,
        "object": "event",
        "type": "checkout.session.completed",
        "api_version": "2025-01-01",
        "data": {"object": obj},
    }


class StripeStandin:
    def __init__(self, webhook_secret: str = "", webhook_url: str = "") -> None:
        self.webhook_secret = webhook_secret
        self.webhook_url = webhook_url
        self.requests: list[dict[str, Any]] = []
        self.sessions: dict[str, dict[str, Any]] = {}
        self.deliveries: list[int] = []
        self._ids = itertools.count(1)
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: bytes, ctype: str, **headers: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                if self.path == "/v1/checkout/sessions":
                    data = unflatten(parse_qsl(raw, keep_blank_values=True))
                    standin.requests.append(
                        {"path": self.path, "data": data, "auth": self.headers["Authorization"]}
                    )
                    session = standin.create_session(data)
                    self._send(200, json.dumps(session).encode(), "application/json")
                elif self.path.startswith("/pay/"):
                    paid = standin.sessions.get(self.path.removeprefix("/pay/"))
                    if paid is None:
                        self._send(404, b"{}", "application/json")
                        return
                    standin.deliver(paid)
                    self._send(303, b"", "text/plain", Location=paid["success_url"])
                else:
                    self._send(404, b'{"error": {"message": "unknown"}}', "application/json")

            def do_GET(self) -> None:
                session = standin.sessions.get(self.path.removeprefix("/pay/"))
                if session is None:
                    self._send(404, b"not found", "text/plain")
                    return
                amount = f"${session['amount_total'] / 100:,.2f}"
                page = (
                    "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
                    "<meta name='viewport' content='width=device-width'>"
                    "<title>Test payment page</title></head><body>"
                    "<h1>Test payment page</h1>"
                    f"<p>Amount: <strong>{html.escape(amount)}</strong></p>"
                    f"<form method='post' action='/pay/{html.escape(session['id'])}'>"
                    "<button type='submit'>Pay now</button></form></body></html>"
                )
                self._send(200, page.encode(), "text/html; charset=utf-8")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def create_session(self, data: dict[str, Any]) -> dict[str, Any]:
        number = next(self._ids)
        item = data["line_items"][0]
        session = {
            "id": f"cs_test_{number}",
            "object": "checkout.session",
            "url": f"{self.base_url}/pay/cs_test_{number}",
            "client_reference_id": data.get("client_reference_id"),
            "metadata": data.get("metadata", {}),
            "amount_total": int(item["price_data"]["unit_amount"]) * int(item["quantity"]),
            "currency": item["price_data"]["currency"],
            "payment_intent": f"pi_test_{number}",
            "payment_status": "unpaid",
            "success_url": data.get("success_url"),
            "cancel_url": data.get("cancel_url"),
            "mode": data.get("mode"),
        }
        self.sessions[session["id"]] = session
        return session

    def deliver(self, session: dict[str, Any]) -> int:
        """POST the signed `checkout.session.completed` event to the webhook URL."""
        payload = json.dumps(completed_event(session, f"evt_test_{session['id']}")).encode()
        request = urllib.request.Request(  # noqa: S310 (a local http URL the test set)
            self.webhook_url,
            data=payload,
            headers={
                "Content-Type": "application/json",
                "Stripe-Signature": sign(payload, self.webhook_secret),
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            self.deliveries.append(response.status)
            return int(response.status)

    def __enter__(self) -> StripeStandin:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
