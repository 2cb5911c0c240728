"""The real ASL file on the local engine, with every embedded part: moto, SQLite, MiniLM, semantic-router."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from office_assistant import bootstrap
from office_assistant_local.environment import local_environment

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from office_assistant_local.environment import LocalEnvironment


@pytest.fixture
def env(tmp_path: Path, minilm: Any, semantic_classifier: Any) -> Iterator[LocalEnvironment]:
    """A fresh local environment with the echo chat model; the webhook handler uses its container."""
    with local_environment(tmp_path, embedder=minilm, classifier=semantic_classifier) as environment:
        bootstrap.configure(environment.container)
        yield environment
        bootstrap.reset()
