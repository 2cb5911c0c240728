"""A size-capped streaming GET shared by the platform fetchers: never reads more than the cap into memory."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from office_assistant import deadline
from office_assistant.domain.errors import MediaError

if TYPE_CHECKING:
    from collections.abc import Mapping


def capped_get(http: httpx.Client, url: str, max_bytes: int, headers: Mapping[str, str], what: str) -> bytes:
    """The body of `url`, or MediaError (naming `what`, never the URL: it may hold a token) when over the cap.

    Each phase (connect, each read) waits at most the client's timeout, cut to the invocation's deadline.
    """
    timeout = call_timeout(http)
    try:
        with http.stream("GET", url, headers=dict(headers), follow_redirects=False, timeout=timeout) as response:
            if response.status_code != 200:
                raise MediaError(f"{what}: download answered HTTP {response.status_code}")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise MediaError(f"{what}: {int(declared)} bytes is over the {max_bytes}-byte limit")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise MediaError(f"{what}: over the {max_bytes}-byte limit")
            return bytes(body)
    except httpx.HTTPError as exc:
        raise MediaError(f"{what}: download failed ({type(exc).__name__})") from None


def call_timeout(http: httpx.Client) -> httpx.Timeout:
    """The client's timeout, each phase cut to the time the invocation has left (`office_assistant.deadline`)."""
    configured = http.timeout
    phases = (configured.connect, configured.read, configured.write, configured.pool)
    cut = [None if phase is None else deadline.call_timeout(phase) for phase in phases]
    return httpx.Timeout(connect=cut[0], read=cut[1], write=cut[2], pool=cut[3])
