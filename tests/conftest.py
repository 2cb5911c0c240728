"""Shared pytest fixtures: one moto server on loopback, one MiniLM and one router for the whole session."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import pytest

from office_assistant_local.aws import moto_server

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(scope="session")
def local_aws() -> Iterator[str]:
    """Endpoint URL of a moto server on 127.0.0.1, started once; tests give their tables and buckets unique names."""
    with moto_server() as endpoint_url:
        yield endpoint_url


@pytest.fixture(scope="session")
def minilm() -> Any:
    """One MiniLM for the whole run: loading it costs seconds, and it holds no per-test state."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from office_assistant.adapters.embeddings.minilm import MiniLmEmbedder

    return MiniLmEmbedder()


@pytest.fixture(scope="session")
def semantic_classifier(minilm: Any) -> Any:
    """The real semantic-router classifier over the packaged routes file, built once."""
    from office_assistant.adapters.route_classifier.semantic_router import SemanticRouterClassifier
    from office_assistant.routes_file import load_route_book
    from office_assistant.settings import DEFAULT_ROUTES_FILE

    return SemanticRouterClassifier(load_route_book(DEFAULT_ROUTES_FILE), minilm)


@pytest.fixture
def cli_environment() -> Iterator[None]:
    """Undo what `office-assistant`'s `cli.main` sets for a local run (offline model hub, metrics off, ...)."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)
