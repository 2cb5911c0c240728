"""Shared pytest fixtures: one moto server on loopback for the whole test session."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from office_assistant.local.aws import moto_server

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(scope="session")
def local_aws() -> Iterator[str]:
    """Endpoint URL of a moto server on 127.0.0.1, started once; tests give their tables and buckets unique names."""
    with moto_server() as endpoint_url:
        yield endpoint_url
