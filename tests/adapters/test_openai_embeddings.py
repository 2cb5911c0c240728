"""OpenAI embedder: the real openai client against the loopback embeddings endpoint."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import numpy as np
import pytest

from office_assistant.adapters.chat_model import build_openai_client
from office_assistant.adapters.embeddings.openai_embeddings import OpenAiEmbedder
from office_assistant.domain.errors import EmbeddingError
from office_assistant_local.standins.chat_completions import ChatCompletionsLoopback, loopback_embedding
from office_assistant_local.standins.recorder import RecordedRequest, RecordingServer, Reply

if TYPE_CHECKING:
    from collections.abc import Iterator

API_KEY = "sk-loopback"


class ScaledVectorsServer(RecordingServer):
    """A partly compatible server: float vectors of length 3 that are not unit-length."""

    def handle(self, request: RecordedRequest) -> Reply:
        data = [
            {"object": "embedding", "index": i, "embedding": [3.0, 0.0, 4.0]}
            for i, _ in enumerate(request.body["input"])
        ]
        usage = {"prompt_tokens": 1, "total_tokens": 1}
        return Reply(200, {"object": "list", "data": data, "model": "m", "usage": usage})


@pytest.fixture
def server() -> Iterator[ChatCompletionsLoopback]:
    with ChatCompletionsLoopback(api_key=API_KEY) as loopback:
        yield loopback


def _embedder(
    server: ChatCompletionsLoopback,
    model: str = "text-embedding-3-small",
    dimensions: int = 1536,
    batch_size: int = 256,
) -> OpenAiEmbedder:
    client = build_openai_client(server.base_url, API_KEY, timeout_s=5.0)
    return OpenAiEmbedder(client, model=model, dimensions=dimensions, batch_size=batch_size)


def test_embed_sends_the_model_the_dimensions_and_all_texts_in_one_request(server: ChatCompletionsLoopback) -> None:
    embedder = _embedder(server, dimensions=256)

    embedder.embed(["invoice overdue", "lunch at noon"])

    [request] = server.embedding_requests()
    assert (request["model"], request["dimensions"], request["input"]) == (
        "text-embedding-3-small",
        256,
        ["invoice overdue", "lunch at noon"],
    )


def test_embed_returns_one_unit_length_float32_row_per_text_in_order(server: ChatCompletionsLoopback) -> None:
    embedder = _embedder(server, dimensions=64)

    rows = embedder.embed(["b", "a", "b"])

    assert rows.dtype == np.float32 and rows.shape == (3, 64) == (3, embedder.dimensions)
    np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(rows[1], loopback_embedding("a", 64), rtol=1e-5)
    np.testing.assert_array_equal(rows[0], rows[2])


def test_embed_sends_large_inputs_in_batches(server: ChatCompletionsLoopback) -> None:
    embedder = _embedder(server, dimensions=8, batch_size=2)
    texts = [f"text {n}" for n in range(5)]

    rows = embedder.embed(texts)

    assert [r["input"] for r in server.embedding_requests()] == [texts[0:2], texts[2:4], texts[4:]]
    np.testing.assert_allclose(rows[4], loopback_embedding("text 4", 8), rtol=1e-5)


def test_embed_of_no_texts_sends_nothing(server: ChatCompletionsLoopback) -> None:
    rows = _embedder(server).embed([])

    assert rows.shape == (0, 1536)
    assert server.embedding_requests() == []


def test_embed_leaves_dimensions_out_for_a_model_that_refuses_it(server: ChatCompletionsLoopback) -> None:
    embedder = _embedder(server, model="text-embedding-ada-002")

    rows = embedder.embed(["hello"])

    assert "dimensions" not in server.embedding_requests()[0]
    assert rows.shape == (1, 1536)


def test_embed_normalises_vectors_that_are_not_unit_length() -> None:
    with ScaledVectorsServer() as other:
        client = build_openai_client(f"{other.url}/v1", API_KEY, timeout_s=5.0)

        rows = OpenAiEmbedder(client, model="compatible", dimensions=3).embed(["x"])

    np.testing.assert_allclose(rows, [[0.6, 0.0, 0.8]], rtol=1e-6)


def test_embed_raises_embedding_error_when_the_vectors_have_the_wrong_length() -> None:
    with ScaledVectorsServer() as other:
        client = build_openai_client(f"{other.url}/v1", API_KEY, timeout_s=5.0)

        with pytest.raises(EmbeddingError, match=r"returned \[3\]-dimensional vectors, expected 384"):
            OpenAiEmbedder(client, model="compatible", dimensions=384).embed(["x"])


def test_embed_raises_embedding_error_when_the_service_refuses_the_input(server: ChatCompletionsLoopback) -> None:
    with pytest.raises(EmbeddingError, match="HTTP 400.*input"):
        _embedder(server).embed([""])


def test_embed_raises_embedding_error_for_a_wrong_api_key(server: ChatCompletionsLoopback) -> None:
    embedder = OpenAiEmbedder(build_openai_client(server.base_url, "sk-wrong", timeout_s=5.0))

    with pytest.raises(EmbeddingError, match="HTTP 401"):
        embedder.embed(["hello"])


def test_embed_raises_embedding_error_when_the_service_is_unreachable() -> None:
    with ChatCompletionsLoopback() as stopped:
        base_url = stopped.base_url
    embedder = OpenAiEmbedder(build_openai_client(base_url, API_KEY, timeout_s=5.0))

    with pytest.raises(EmbeddingError, match="APIConnectionError"):
        embedder.embed(["hello"])


def test_importing_the_openai_embedder_does_not_import_torch() -> None:
    code = (
        "import sys, office_assistant.adapters.embeddings.openai_embeddings; "
        "sys.exit(1 if 'torch' in sys.modules or 'sentence_transformers' in sys.modules else 0)"
    )

    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


LONG_TEXT = " ".join(f"Invoice {n} for Acme GmbH: 40 chairs, 12 desks, délivrées à Zürich." for n in range(2500))


def test_embedder_cuts_a_text_over_the_models_token_limit_so_openai_accepts_it(server: ChatCompletionsLoopback) -> None:
    embedder = _embedder(server, dimensions=64)

    rows = embedder.embed(["short", LONG_TEXT])

    assert rows.shape == (2, 64)
    [request] = server.embedding_requests()
    short, cut = request["input"]
    assert short == "short" and LONG_TEXT.startswith(cut)
    assert embedder.token_limit.count(cut) == 8191


def test_loopback_answers_openais_400_to_an_input_over_the_token_limit(server: ChatCompletionsLoopback) -> None:
    client = build_openai_client(server.base_url, API_KEY, timeout_s=5.0)

    with pytest.raises(Exception, match="maximum context length is 8192 tokens"):
        client.embeddings.create(model="text-embedding-3-small", input=[LONG_TEXT])


def test_embedder_splits_a_request_whose_inputs_together_pass_the_per_request_token_limit(
    server: ChatCompletionsLoopback,
) -> None:
    embedder = _embedder(server, dimensions=8)

    embedder.embed([LONG_TEXT] * 40)  # 40 x 8191 tokens: more than the 300,000 one request may carry

    sizes = [len(request["input"]) for request in server.embedding_requests()]
    assert sum(sizes) == 40 and len(sizes) == 2 and max(sizes) * 8191 <= 300_000
