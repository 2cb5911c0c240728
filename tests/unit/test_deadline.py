"""The invocation deadline: per-call timeouts cut to the time the Lambda has left, only inside the block."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

import httpx
import openai
import pytest

from office_assistant import deadline
from office_assistant.adapters.media_fetcher.download import call_timeout, capped_get
from office_assistant.adapters.openai_deadline import deadline_bound
from office_assistant.domain.errors import MediaError

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback socket that accepts connections (the kernel's backlog) and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        host, port = server.getsockname()
        yield f"http://{host}:{port}/file"


def test_without_a_deadline_calls_keep_their_default() -> None:
    assert deadline.active() is False
    assert deadline.remaining_s() is None
    assert deadline.call_timeout(20.0) == 20.0


def test_inside_a_deadline_a_call_gets_at_most_the_time_left_minus_the_reserve() -> None:
    with deadline.invocation_deadline(10.0, reserve_s=1.0):
        cut = deadline.call_timeout(20.0)
        kept = deadline.call_timeout(2.0)
    assert 8.0 < cut <= 9.0
    assert kept == 2.0
    assert deadline.active() is False


def test_a_passed_deadline_still_gives_the_minimum_timeout() -> None:
    with deadline.invocation_deadline(0.1, reserve_s=5.0):
        assert deadline.call_timeout(20.0) == deadline.MIN_CALL_TIMEOUT_S


def test_http_timeouts_are_cut_phase_by_phase() -> None:
    client = httpx.Client(timeout=httpx.Timeout(20.0, connect=3.0))
    with deadline.invocation_deadline(5.0, reserve_s=1.0):
        timeout = call_timeout(client)
    assert timeout.connect == 3.0
    assert timeout.read is not None and 3.0 < timeout.read <= 4.0
    assert call_timeout(client).read == 20.0


def test_a_download_that_stalls_fails_at_the_deadline_not_at_the_clients_timeout(silent_server: str) -> None:
    with httpx.Client(timeout=600.0) as client, deadline.invocation_deadline(0.6):
        with pytest.raises(MediaError, match="Timeout"):
            capped_get(client, silent_server, 1000, {}, "voice.ogg")


def test_openai_calls_under_a_deadline_make_one_attempt_within_the_time_left() -> None:
    client = openai.OpenAI(api_key="sk-test", base_url="http://127.0.0.1:9/v1", timeout=60.0, max_retries=2)

    assert deadline_bound(client) is client
    with deadline.invocation_deadline(12.0, reserve_s=2.0):
        bound = deadline_bound(client)
    assert bound.max_retries == 0
    assert isinstance(bound.timeout, float) and 9.0 < bound.timeout <= 10.0
