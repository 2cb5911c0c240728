"""A loopback Lambda Runtime API (the `2018-06-01` interface awslambdaric speaks), for one function process.

Endpoints, as documented by AWS ("Using the Lambda runtime API for custom runtimes"):
  GET  /2018-06-01/runtime/invocation/next            the next event, with the Lambda-Runtime-* headers
  POST /2018-06-01/runtime/invocation/{id}/response   the handler's result
  POST /2018-06-01/runtime/invocation/{id}/error      the handler raised
  POST /2018-06-01/runtime/init/error                 the function failed to initialise (an import, say)

`invoke(event, timeout_s)` hands an event to the process and waits for its outcome; the times it reports (init
done = the first `next` request, each invocation from `next` answered to result posted) are what Lambda's REPORT
line calls Init Duration and Duration.
"""

from __future__ import annotations

import json
import queue
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

LOOPBACK = "127.0.0.1"
_PREFIX = "/2018-06-01/runtime"


@dataclass
class Invocation:
    event: Any
    function_arn: str
    timeout_s: float
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    started: float = 0.0  # monotonic time the event was handed to the runtime
    finished: float = 0.0
    result: Any = None
    error: dict[str, Any] | None = None
    cpu_ms: float | None = None  # the process's CPU time when the invocation ended (set by FunctionProcess)
    done: threading.Event = field(default_factory=threading.Event)

    @property
    def duration_ms(self) -> float:
        return (self.finished - self.started) * 1000


class InitError(RuntimeError):
    """The function posted /init/error: its module could not be imported or initialised."""

    def __init__(self, error: dict[str, Any]) -> None:
        self.error = error
        super().__init__(f"{error.get('errorType', 'Runtime.Unknown')}: {error.get('errorMessage', '')}")


class RuntimeApi:
    """The Runtime API of one function: a ThreadingHTTPServer on 127.0.0.1, port chosen by the OS."""

    def __init__(self, function_arn: str) -> None:
        self.function_arn = function_arn
        self.created = time.monotonic()
        self.first_next: float | None = None  # init finished: the runtime asked for its first event
        self.init_error: dict[str, Any] | None = None
        self._events: queue.Queue[Invocation] = queue.Queue()
        self._by_id: dict[str, Invocation] = {}
        self._changed = threading.Condition()
        self._server = _server(self)
        self._thread = threading.Thread(target=self._server.serve_forever, name="runtime-api", daemon=True)

    @property
    def address(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{host!s}:{port}"

    def __enter__(self) -> RuntimeApi:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait_ready(self, timeout_s: float, alive: Any) -> float:
        """Seconds the init took (creation → first `next`); raises InitError, or TimeoutError after `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while self.first_next is None and self.init_error is None:
                if not alive():
                    raise InitError({"errorType": "Runtime.ExitError", "errorMessage": "the process exited"})
                if not self._changed.wait(timeout=min(0.2, max(0.0, deadline - time.monotonic()))):
                    if time.monotonic() >= deadline:
                        raise TimeoutError(f"no request for an event within {timeout_s} s of starting")
        if self.init_error is not None:
            raise InitError(self.init_error)
        assert self.first_next is not None
        return self.first_next - self.created

    def invoke(self, event: Any, timeout_s: float) -> Invocation:
        """Hand `event` to the function and wait up to `timeout_s` for its result or error."""
        invocation = Invocation(event, self.function_arn, timeout_s)
        with self._changed:
            self._by_id[invocation.request_id] = invocation
        self._events.put(invocation)
        if not invocation.done.wait(timeout=timeout_s + 0.5):  # + the moment the runtime takes to pick it up
            invocation.error = {
                "errorType": "Sandbox.Timedout",
                "errorMessage": f"Task timed out after {timeout_s:.2f} seconds",
            }
            invocation.started = invocation.started or time.monotonic() - timeout_s
            invocation.finished = time.monotonic()
        return invocation

    # --- called by the HTTP handler ---------------------------------------------------------------------------

    def next_event(self) -> Invocation:
        with self._changed:
            if self.first_next is None:
                self.first_next = time.monotonic()
                self._changed.notify_all()
        invocation = self._events.get()
        invocation.started = time.monotonic()
        return invocation

    def finish(self, request_id: str, result: Any = None, error: dict[str, Any] | None = None) -> bool:
        with self._changed:
            invocation = self._by_id.pop(request_id, None)
        if invocation is None:
            return False
        invocation.finished = time.monotonic()
        invocation.result, invocation.error = result, error
        invocation.done.set()
        return True

    def fail_init(self, error: dict[str, Any]) -> None:
        with self._changed:
            self.init_error = error
            self._changed.notify_all()


def _server(api: RuntimeApi) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (stdlib name)
            if self.path != f"{_PREFIX}/invocation/next":
                self._answer(404, {"errorMessage": f"unknown path {self.path}"})
                return
            invocation = api.next_event()
            deadline_ms = int((time.time() + invocation.timeout_s) * 1000)
            trace_id = f"Root=1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]};Parent={uuid.uuid4().hex[:16]};Sampled=0"
            self._answer(
                200,
                invocation.event,
                {
                    "Lambda-Runtime-Aws-Request-Id": invocation.request_id,
                    "Lambda-Runtime-Deadline-Ms": str(deadline_ms),
                    "Lambda-Runtime-Invoked-Function-Arn": invocation.function_arn,
                    "Lambda-Runtime-Trace-Id": trace_id,
                },
            )

        def do_POST(self) -> None:  # noqa: N802 (stdlib name)
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            parts = self.path.removeprefix(_PREFIX).strip("/").split("/")
            if parts == ["init", "error"]:
                api.fail_init(_error_body(body, self.headers.get("Lambda-Runtime-Function-Error-Type")))
                self._answer(202, {"status": "OK"})
                return
            if len(parts) == 3 and parts[0] == "invocation" and parts[2] in {"response", "error"}:
                if parts[2] == "response":
                    found = api.finish(parts[1], result=json.loads(body) if body else None)
                else:
                    error = _error_body(body, self.headers.get("Lambda-Runtime-Function-Error-Type"))
                    found = api.finish(parts[1], error=error)
                self._answer(202 if found else 400, {"status": "OK"} if found else {"errorMessage": "unknown id"})
                return
            self._answer(404, {"errorMessage": f"unknown path {self.path}"})

        def _answer(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode("utf-8")
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # events may hold message text
            return

    server = ThreadingHTTPServer((LOOPBACK, 0), Handler)
    server.daemon_threads = True
    return server


def _error_body(body: bytes, error_type: str | None) -> dict[str, Any]:
    try:
        error = json.loads(body) if body else {}
    except ValueError:
        error = {"errorMessage": body.decode("utf-8", "replace")}
    if not isinstance(error, dict):
        error = {"errorMessage": str(error)}
    if error_type and "errorType" not in error:
        error["errorType"] = error_type
    return error
