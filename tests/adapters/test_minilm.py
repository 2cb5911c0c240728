"""The MiniLM embedder: real model, offline, on CPU."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from office_assistant.adapters.embeddings.minilm import MiniLmEmbedder


@pytest.fixture(scope="module")
def embedder() -> MiniLmEmbedder:
    return MiniLmEmbedder()


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b)


def test_minilm_does_not_load_the_model_until_the_first_embed() -> None:
    embedder = MiniLmEmbedder()

    empty = embedder.embed([])

    assert not embedder.loaded
    assert embedder.dimensions == 384
    assert empty.shape == (0, 384)
    assert empty.dtype == np.float32


def test_minilm_returns_one_unit_length_float32_row_of_384_per_text(embedder: MiniLmEmbedder) -> None:
    texts = ["Where is the invoice for ACME?", "Bonjour, ça va ?", "東京の天気は？", ""]

    rows = embedder.embed(texts)

    assert embedder.loaded
    assert rows.shape == (4, embedder.dimensions)
    assert rows.dtype == np.float32
    assert np.linalg.norm(rows, axis=1) == pytest.approx([1.0] * 4, abs=1e-5)


def test_minilm_scores_paraphrases_closer_than_unrelated_text(embedder: MiniLmEmbedder) -> None:
    query, paraphrase, unrelated = embedder.embed(
        [
            "How do I get to the airport from the office?",
            "What's the best route from our office to the airport?",
            "Please list the unpaid invoices of our biggest customer.",
        ]
    )

    assert _cosine(query, paraphrase) > _cosine(query, unrelated) + 0.2


def test_minilm_returns_the_same_vector_for_the_same_text(embedder: MiniLmEmbedder) -> None:
    text = "Summarise yesterday's sales orders."

    first = embedder.embed([text])[0]
    again = embedder.embed([text])[0]
    in_a_batch = embedder.embed(["a much longer sentence so that the batch gets padded quite a bit", text])[1]

    assert np.array_equal(first, again)
    assert np.allclose(first, in_a_batch, atol=1e-5)


def test_minilm_gives_every_thread_its_own_correct_rows_when_called_at_once(embedder: MiniLmEmbedder) -> None:
    texts = [f"message number {n} about the quarterly report" for n in range(8)]
    expected = embedder.embed(texts)
    results: dict[int, np.ndarray] = {}
    start = threading.Barrier(len(texts))

    def embed_one(n: int) -> None:
        start.wait()
        results[n] = embedder.embed([texts[n]])[0]

    threads = [threading.Thread(target=embed_one, args=(n,)) for n in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == list(range(len(texts)))
    for n, row in results.items():
        assert np.allclose(row, expected[n], atol=1e-5)
