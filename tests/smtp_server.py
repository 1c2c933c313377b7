"""A tiny SMTP server on 127.0.0.1 for tests (the outside world for email).

Three modes, switchable while a test runs, on one fixed port:
- "record": speaks just enough SMTP (220, EHLO/HELO 250, MAIL/RCPT 250, DATA 354 -> 250,
  QUIT 221) and keeps each message; recipients in `reject` get 550;
- "hang": accepts the connection and never answers (a hung mail server);
- "down": nothing listens, so connecting is refused.

`smtpd` is deprecated in 3.11 and gone in 3.12 (and warnings are errors here), hence this.
"""

from __future__ import annotations

import email
import email.message
import socket
import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> email.message.Message:
        return email.message_from_bytes(self.data)


@dataclass
class LocalSMTPServer:
    host: str = "127.0.0.1"
    port: int = 0
    mode: str = "record"
    reject: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)
    _server: socketserver.ThreadingTCPServer | None = None
    _thread: threading.Thread | None = None
    _release: threading.Event = field(default_factory=threading.Event)

    def start(self) -> LocalSMTPServer:
        if self.port == 0:
            with socket.socket() as probe:  # pick a free port once, keep it across restarts
                probe.bind((self.host, 0))
                self.port = probe.getsockname()[1]
        self.set_mode(self.mode)
        return self

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        if mode == "down":
            self._stop_listening()
        elif self._server is None:
            self._listen()

    def stop(self) -> None:
        self._stop_listening()

    def _listen(self) -> None:
        owner = self
        self._release.clear()

        class Handler(socketserver.StreamRequestHandler):
            timeout = 10

            def handle(self) -> None:
                if owner.mode == "hang":
                    owner._release.wait(30)
                    return
                owner._converse(self)

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self._server = Server((self.host, self.port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def _stop_listening(self) -> None:
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _converse(self, handler: socketserver.StreamRequestHandler) -> None:
        def reply(line: str) -> None:
            handler.wfile.write(f"{line}\r\n".encode())

        reply("220 localhost test SMTP")
        sender, recipients = "", []
        while True:
            raw = handler.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").strip()
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                reply("250 localhost")
            elif verb == "MAIL":
                sender, recipients = line.partition(":")[2].strip().strip("<>"), []
                reply("250 OK")
            elif verb == "RCPT":
                address = line.partition(":")[2].strip().strip("<>")
                if address in self.reject:
                    reply("550 No such user")
                else:
                    recipients.append(address)
                    reply("250 OK")
            elif verb == "DATA":
                reply("354 End data with <CR><LF>.<CR><LF>")
                chunks = []
                while (chunk := handler.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    chunks.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                self.received.append(Received(sender, recipients, b"".join(chunks)))
                reply("250 OK queued")
            elif verb == "QUIT":
                reply("221 Bye")
                return
            else:  # RSET, NOOP and anything else
                reply("250 OK")
