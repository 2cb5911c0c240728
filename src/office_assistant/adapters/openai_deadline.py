"""An openai client bound to the invocation's deadline (`office_assistant.deadline`): Route's and Respond's calls."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from office_assistant import deadline

if TYPE_CHECKING:
    from openai import OpenAI


def deadline_bound(client: OpenAI) -> OpenAI:
    """`client` itself, or under an invocation deadline a copy that makes one attempt within the time left.

    The client's own retries, each with the full timeout, would outlast the Lambda (3 x 60 s by default).
    """
    if not deadline.active():
        return client
    configured = client.timeout
    default_s = configured.read if isinstance(configured, httpx.Timeout) else configured
    timeout = deadline.call_timeout(float(default_s) if isinstance(default_s, int | float) else 60.0)
    return client.with_options(timeout=timeout, max_retries=0)
