"""The base of every loopback stand-in: a threaded HTTP server on 127.0.0.1 that records what it receives."""

from __future__ import annotations

import email.policy
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:
    from types import TracebackType
    from typing import Self

logger = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it; `body` is parsed JSON, a form/query dict, or the raw text."""

    method: str
    path: str
    query: dict[str, Any]
    headers: dict[str, str]  # lower-cased names
    body: Any
    raw_body: bytes = b""
    received_at: float = field(default_factory=time.time)  # wall clock, for timing what a client sent when


@dataclass(frozen=True)
class Reply:
    """What a loopback answers: a status, a JSON body, extra headers."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # sent as-is instead of `body` (file downloads)
    drop: bool = False  # close the connection without answering: the answer is lost on its way back


LOST = Reply(0, None, drop=True)


def _flatten(values: dict[str, list[str]]) -> dict[str, Any]:
    """parse_qs gives lists; a field sent once becomes its single value, as the real APIs read it."""
    return {key: items[0] if len(items) == 1 else items for key, items in values.items()}


def parse_body(content_type: str, raw: bytes) -> Any:
    """JSON or form-encoded bodies as the real APIs accept both; anything else as text (None when empty)."""
    if not raw:
        return None
    text = raw.decode("utf-8", errors="replace")
    media_type = content_type.split(";")[0].strip().lower()
    if media_type == "application/x-www-form-urlencoded":
        return _flatten(parse_qs(text, keep_blank_values=True))
    if media_type == "application/json" or text.lstrip()[:1] in {"{", "["}:
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def multipart_parts(request: RecordedRequest) -> dict[str, tuple[str | None, bytes]]:
    """The parts of a multipart/form-data body: field name → (filename, bytes); {} for any other body."""
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/"):
        return {}
    message = BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + request.raw_body
    )
    parts: dict[str, tuple[str | None, bytes]] = {}
    for part in message.iter_parts() if message.is_multipart() else ():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes):
            parts[name] = (part.get_filename(), payload)
    return parts


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: RecordingServer


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        request = RecordedRequest(
            method=self.command,
            path=split.path,
            query=_flatten(parse_qs(split.query, keep_blank_values=True)),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=parse_body(self.headers.get("Content-Type", ""), raw),
            raw_body=raw,
        )
        reply = self.server.owner.receive(request)
        if reply.drop:
            self.close_connection = True
            return
        payload = reply.raw if reply.raw is not None else json.dumps(reply.body).encode()
        self.send_response(reply.status)
        if reply.raw is None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if self.command == "HEAD" or reply.status == 204:  # no body may follow, or keep-alive framing breaks
            payload = b""
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are recorded, not printed (a Telegram path carries the bot token)."""


class RecordingServer:
    """Subclasses implement `handle`; the base records every request and serves on a daemon thread.

    Use as a context manager, or call start() and stop(). `url` is ``http://127.0.0.1:<port>`` (port 0 → a free
    one, chosen by the OS).
    """

    def __init__(self, host: str = LOOPBACK, port: int = 0) -> None:
        self._address = (host, port)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._lost_answers: list[tuple[str, Reply]] = []

    # --- to implement -------------------------------------------------------------------------------------------

    def handle(self, request: RecordedRequest) -> Reply:
        """Answer one request; runs on the server's request threads, so shared state needs `self._lock`."""
        raise NotImplementedError

    # --- lifecycle ----------------------------------------------------------------------------------------------

    def start(self) -> Self:
        if self._server is not None:
            return self
        server = _Server(self._address, _Handler)
        server.owner = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=type(self).__name__, daemon=True
        )
        self._thread.start()
        logger.debug("loopback server listening", extra={"server": type(self).__name__, "url": self.url})
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server, self._thread = None, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not running; call start() or use it as a context manager")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # --- faults -------------------------------------------------------------------------------------------------

    def lose_answer(self, method: str, instead: Reply = LOST) -> None:
        """The next request whose path ends in `method` is carried out, but its answer never arrives: the
        connection closes (or the client gets `instead`, e.g. a 5xx). A platform that did the work anyway."""
        with self._lock:
            self._lost_answers.append((method, instead))

    def _lost_answer(self, request: RecordedRequest) -> Reply | None:
        method = request.path.rstrip("/").rsplit("/", 1)[-1]
        with self._lock:
            for index, (lost, instead) in enumerate(self._lost_answers):
                if lost == method:
                    del self._lost_answers[index]
                    return instead
        return None

    # --- recording ----------------------------------------------------------------------------------------------

    def receive(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self._requests.append(request)
        try:
            reply = self.handle(request)
            return self._lost_answer(request) or reply
        except Exception as exc:  # a bug in a stand-in must surface as a 500 the client sees, not a hung socket
            logger.exception("loopback handler failed", extra={"server": type(self).__name__, "path": request.path})
            return Reply(500, {"ok": False, "error": f"loopback handler failed: {type(exc).__name__}"})

    @property
    def requests(self) -> list[RecordedRequest]:
        """A copy of every request received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()
