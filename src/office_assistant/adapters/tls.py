"""One TLS context for every HTTPS client a function builds.

httpx (and openai, which builds on it) loads the CA bundle into a new ``SSLContext`` for each client it makes,
about 30 ms of CPU each; Route builds eight clients, so its cold start paid a quarter of a second to load the same
certificates eight times. A context is safe to share between clients and threads and holds no connection, so it
survives a SnapStart snapshot as it is, while the clients are rebuilt after a restore.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    import ssl


@functools.cache
def shared_ssl_context() -> ssl.SSLContext:
    """The context httpx would build for a client with default verification (certifi, SSL_CERT_FILE honoured)."""
    return httpx.create_ssl_context()


def http_client(timeout_s: float) -> httpx.Client:
    """An httpx client on the shared TLS context."""
    return httpx.Client(timeout=timeout_s, verify=shared_ssl_context())
