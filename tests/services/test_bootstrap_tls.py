"""Every HTTPS client a container builds shares one TLS context: the CA bundle is loaded once per process."""

from __future__ import annotations

import ssl
from typing import TYPE_CHECKING

from office_assistant.adapters.tls import shared_ssl_context
from office_assistant.bootstrap import Container
from office_assistant.settings import Settings

if TYPE_CHECKING:
    import pytest


def test_the_route_steps_clients_load_the_ca_bundle_once(monkeypatch: pytest.MonkeyPatch, local_aws: str) -> None:
    shared_ssl_context.cache_clear()
    loads: list[object] = []
    real_load = ssl.SSLContext.load_verify_locations

    def counted(self: ssl.SSLContext, *args: object, **kwargs: object) -> None:
        loads.append(self)
        real_load(self, *args, **kwargs)

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counted)
    settings = Settings(
        aws_endpoint_url=local_aws,
        slack_bot_token="xoxb-test",
        telegram_bot_token="123:abc",
        embeddings="openai",
        openai_api_key="sk-test",
    )
    container = Container(settings)

    built = (container.platforms, container.media_fetchers, container.user_directories, container.embedder)

    assert all(built) and len(loads) == 1
    assert container.workspace is not None and container.chat_model is not None and len(loads) == 1
