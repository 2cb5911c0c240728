"""Deferred package inits: the adapters' SDK parts import alone, and the whole package still imports afterwards.

Each case runs in a fresh interpreter: what is in ``sys.modules`` is the point.
"""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from office_assistant_local.standins.chat_completions import ChatCompletionsLoopback

if TYPE_CHECKING:
    from collections.abc import Iterator

_EMBED_THEN_IMPORT_OPENAI = """
import sys
from office_assistant.adapters.chat_model.openai_compatible import build_openai_client
from office_assistant.adapters.embeddings.openai_embeddings import OpenAiEmbedder

embedder = OpenAiEmbedder(build_openai_client(sys.argv[1], "sk-test", 5.0), dimensions=8)
print(embedder.embed(["good morning"]).shape)
print(sorted(m for m in ("openai.types.chat", "openai.resources.chat", "openai.lib.streaming") if m in sys.modules))
import openai
from office_assistant.adapters import openai_sdk
same = openai.OpenAI is openai_sdk.OpenAI, openai.APIStatusError is openai_sdk.APIStatusError
print(*same, openai.types.chat.__name__)
"""


@pytest.fixture
def openai_api() -> Iterator[ChatCompletionsLoopback]:
    with ChatCompletionsLoopback() as server:
        yield server


def test_embedder_uses_only_the_embeddings_part_of_openai_and_import_openai_still_gives_the_whole_sdk(
    openai_api: ChatCompletionsLoopback,
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _EMBED_THEN_IMPORT_OPENAI, openai_api.base_url],
        capture_output=True,
        text=True,
        check=True,
    )

    shape, loaded, whole = result.stdout.strip().splitlines()
    assert shape == "(1, 8)"
    assert loaded == "[]"
    assert whole == "True True openai.types.chat"
    assert [body["input"] for body in openai_api.embedding_requests()] == [["good morning"]]


def test_a_package_imported_already_is_left_as_it_is() -> None:
    code = (
        "import openai\n"
        "from office_assistant.adapters.lean_imports import defer_package_inits\n"
        "print(defer_package_inits('openai', 'openai.types'), hasattr(openai, 'OpenAI'))\n"
    )

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert result.stdout.strip() == "False True"
