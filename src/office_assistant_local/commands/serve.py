"""`office-assistant serve`: the real webhook handler behind a loopback HTTP server, with the local stack behind it.

Each request becomes the API Gateway v2 event the deployed function receives. ``GET /_local/stats?channels=...``
reports what the stand-ins saw (executions, posts, stored messages) so a load run in another process can check
that nothing was lost or answered twice. Loopback only.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from office_assistant.domain.messages import Role
from office_assistant_local.engine.lambda_context import LocalLambdaContext
from office_assistant_local.http_events import api_gateway_event

if TYPE_CHECKING:
    from collections.abc import Callable

    from office_assistant_local.environment import LocalEnvironment

LOOPBACK = "127.0.0.1"
STATS_PATH = "/_local/stats"


def stats(env: LocalEnvironment, channels: list[str]) -> dict[str, Any]:
    """Executions, Slack posts and stored messages of the given Slack channels."""
    posted = sum(len(env.slack.posted(channel)) for channel in channels)
    stored = [m for channel in channels for m in env.container.store.latest(f"slack:{channel}", 100_000)]
    return {
        "executions_started": len(env.starter.started),
        "executions_pending": env.starter.pending(),
        "executions_failed": env.starter.failed(),
        "replies_posted": posted,
        "user_messages_stored": sum(1 for m in stored if m.role is Role.USER),
        "replies_stored": sum(1 for m in stored if m.role is Role.ASSISTANT),
    }


def make_server(env: LocalEnvironment, webhook: Callable[[dict[str, Any], Any], dict[str, Any]], port: int = 0) -> Any:
    """A ThreadingHTTPServer on 127.0.0.1 that hands POSTs to `webhook` as API Gateway events."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (stdlib name)
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            event = api_gateway_event("POST", urlsplit(self.path).path, dict(self.headers.items()), body)
            response = webhook(event, LocalLambdaContext("webhook"))
            self._answer(int(response.get("statusCode", 500)), str(response.get("body") or ""))

        def do_GET(self) -> None:  # noqa: N802 (stdlib name)
            url = urlsplit(self.path)
            if url.path != STATS_PATH:
                self._answer(404, "{}")
                return
            channels = [c for c in parse_qs(url.query).get("channels", [""])[0].split(",") if c]
            self._answer(200, json.dumps(stats(env, channels)))

        def _answer(self, status: int, body: str) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # request bodies stay out of the terminal
            return

    class Server(ThreadingHTTPServer):
        request_queue_size = 128  # the stdlib's 5 resets connections under a burst of concurrent senders

    server = Server((LOOPBACK, port), Handler)
    server.daemon_threads = True
    return server


def serve(port: int, data_dir: Any = None) -> int:
    """Run until interrupted; prints the URL and the signing secrets a sender needs (local dummies)."""
    import tempfile
    from pathlib import Path

    from office_assistant import bootstrap
    from office_assistant.workflow.tasks import WEBHOOK
    from office_assistant_local.environment import SLACK_SIGNING_SECRET, local_environment
    from office_assistant_local.wiring import handler_module

    with tempfile.TemporaryDirectory() as tmp, local_environment(Path(data_dir or tmp)) as env:
        bootstrap.configure(env.container)
        env.starter.handlers()  # build every service (MiniLM, router) before the first delivery, not during it
        webhook = handler_module(WEBHOOK).lambda_handler
        server = make_server(env, webhook, port)
        host, bound = server.server_address[:2]
        print(
            f"serving the webhook on http://{host}:{bound} (Slack: /slack/events, signing secret "
            f"{SLACK_SIGNING_SECRET!r}; stats: {STATS_PATH})",
            flush=True,
        )
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            thread.join()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
            server.server_close()
    return 0
