"""Local AWS: moto's server on loopback, and the state table and media bucket created on it."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import TYPE_CHECKING

from office_assistant.adapters.aws_clients import endpoint_client
from office_assistant.adapters.media_bucket import ensure_bucket
from office_assistant.adapters.state_table import ensure_table

if TYPE_CHECKING:
    from collections.abc import Iterator

    from office_assistant.settings import Settings

logger = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"


@contextmanager
def moto_server(host: str = LOOPBACK, port: int = 0, quiet: bool = True) -> Iterator[str]:
    """Run moto's ThreadedMotoServer (port 0: a free one) and yield its endpoint URL; stop it on exit.

    `quiet` keeps werkzeug from logging every request to stderr (it adds its own handler otherwise), unless the
    application has already set the ``werkzeug`` logger's level.
    """
    from moto.server import ThreadedMotoServer  # moto is a local-mode extra; Lambda never imports it

    werkzeug_logger = logging.getLogger("werkzeug")
    if quiet and werkzeug_logger.level == logging.NOTSET:
        werkzeug_logger.setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    try:
        bound_host, bound_port = server.get_host_and_port()
        endpoint_url = f"http://{bound_host}:{bound_port}"
        logger.info("moto server listening", extra={"endpoint_url": endpoint_url})
        yield endpoint_url
    finally:
        server.stop()


def prepare_local_resources(settings: Settings) -> None:
    """Create the state table and the media bucket on the local endpoint; refuses to run without one."""
    if not settings.aws_endpoint_url:
        raise ValueError("prepare_local_resources needs settings.aws_endpoint_url (local mode); refusing to touch AWS")
    dynamodb = endpoint_client("dynamodb", settings.aws_endpoint_url, settings.aws_region)
    ensure_table(dynamodb, settings.state_table)
    s3 = endpoint_client("s3", settings.aws_endpoint_url, settings.aws_region)
    ensure_bucket(s3, settings.media_bucket)
