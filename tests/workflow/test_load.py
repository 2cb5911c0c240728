"""`serve` + `load` on loopback, tiny: concurrent signed deliveries with duplicates; counts only, no timings."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pytest

from office_assistant.workflow.tasks import WEBHOOK
from office_assistant_local.commands.load import run_load
from office_assistant_local.commands.serve import make_server
from office_assistant_local.wiring import handler_module

if TYPE_CHECKING:
    from office_assistant_local.environment import LocalEnvironment


def test_load_answers_every_message_once_and_loses_none_with_duplicate_deliveries(env: LocalEnvironment) -> None:
    env.starter.handlers()  # build the services now, so the senders' time goes to deliveries
    server = make_server(env, handler_module(WEBHOOK).lambda_handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]

    try:
        report = run_load(f"http://{host}:{port}", senders=2, seconds=4, duplicates=0.5, max_per_sender=3, drain_s=120)
    finally:
        server.shutdown()
        server.server_close()

    assert report["unique_messages"] >= 2
    assert report["executions_pending"] == 0
    assert (report["lost"], report["answered_twice"]) == (0, 0)
    assert report["replies_posted"] == report["replies_expected"] == report["unique_messages"]
    assert report["user_messages_stored"] == report["replies_stored"] == report["unique_messages"]


def test_load_refuses_a_host_that_is_not_loopback() -> None:
    with pytest.raises(ValueError, match="loopback"):
        run_load("http://example.com:80", senders=1, seconds=1)
