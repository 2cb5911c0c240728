"""The semantic-router classifier with the real MiniLM embedder and the shipped routes file."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from typing import TYPE_CHECKING

import numpy as np
import pytest

from office_assistant.adapters.embeddings.minilm import MiniLmEmbedder
from office_assistant.adapters.route_classifier.semantic_router import PrecomputedVector, SemanticRouterClassifier
from office_assistant.routes_file import load_route_book
from office_assistant.settings import DEFAULT_ROUTES_FILE

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy.typing as npt

    from office_assistant.domain.routes import RouteBook

# Paraphrases that are not in the routes file; each must reach its route.
HELD_OUT = [
    ("chitchat", "hey, good afternoon!"),
    ("chitchat", "how are you doing today?"),
    ("chitchat", "good night all"),
    ("research", "What is known about the health effects of working night shifts?"),
    ("research", "Give me background on how blockchain technology works"),
    ("research", "Can you find reports about electric vehicle adoption in Europe?"),
    ("writing", "Please rewrite this paragraph to be more concise"),
    ("writing", "Can you improve the wording of this email?"),
    ("writing", "Draft a polite reply declining the meeting invitation"),
    ("numerical_analysis", "What is 18% of 7,500?"),
    ("numerical_analysis", "How much is 1,200 divided by 16?"),
    ("numerical_analysis", "What's the profit margin if cost is 80 and price is 120?"),
    ("navigation", "How do I get from the hotel to the exhibition centre?"),
    ("navigation", "Is there a subway station near the client's office?"),
    ("navigation", "Which is the quickest way to drive to Stuttgart?"),
    ("odoo_erp", "Show me all overdue invoices for Initrode"),
    ("odoo_erp", "How many office chairs are left in the warehouse?"),
    ("odoo_erp", "Which quotations are still waiting for customer confirmation?"),
]


class CountingEmbedder:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self, inner: MiniLmEmbedder) -> None:
        self.inner = inner
        self.texts: list[str] = []

    @property
    def dimensions(self) -> int:
        return self.inner.dimensions

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.texts.extend(texts)
        return self.inner.embed(texts)


@pytest.fixture(scope="module")
def embedder() -> MiniLmEmbedder:
    return MiniLmEmbedder()


@pytest.fixture(scope="module")
def book() -> RouteBook:
    return load_route_book(DEFAULT_ROUTES_FILE)


@pytest.fixture(scope="module")
def classifier(book: RouteBook, embedder: MiniLmEmbedder) -> SemanticRouterClassifier:
    return SemanticRouterClassifier(book, embedder)


def _vector(embedder: MiniLmEmbedder, text: str) -> list[float]:
    return [float(x) for x in embedder.embed([text])[0]]


def test_held_out_paraphrases_are_not_in_the_routes_file(book: RouteBook) -> None:
    utterances = {u.casefold() for route in book.routes for u in route.utterances}

    assert [text for _, text in HELD_OUT if text.casefold() in utterances] == []
    assert {route for route, _ in HELD_OUT} == {route.name for route in book.routes}


@pytest.mark.parametrize(("route", "text"), HELD_OUT)
def test_classifier_routes_a_held_out_paraphrase_to_its_route(
    classifier: SemanticRouterClassifier, embedder: MiniLmEmbedder, route: str, text: str
) -> None:
    name, confidence = classifier.classify(_vector(embedder, text))

    assert name == route
    assert confidence is not None and confidence >= classifier.book.score_threshold


def test_classifier_routes_gibberish_to_no_route(
    classifier: SemanticRouterClassifier, embedder: MiniLmEmbedder
) -> None:
    assert classifier.classify(_vector(embedder, "asdf qwerty zxcv")) == (None, None)


def test_classifier_embeds_the_utterances_once_and_never_the_query(book: RouteBook, embedder: MiniLmEmbedder) -> None:
    # GIVEN a fresh classifier over an embedder that counts its texts
    counting = CountingEmbedder(embedder)
    classifier = SemanticRouterClassifier(book, counting)
    built_lazily = counting.texts == []
    query = _vector(embedder, "Show me the open invoices for Globex")

    # WHEN it classifies two messages
    first = classifier.classify(query)
    second = classifier.classify(_vector(embedder, "hello there, how are you?"))

    # THEN it embedded each utterance exactly once, on first use, and no query text
    assert built_lazily
    assert sorted(counting.texts) == sorted(u for route in book.routes for u in route.utterances)
    assert first[0] == "odoo_erp"
    assert second[0] == "chitchat"


def test_classifier_gives_each_thread_its_own_answer_when_called_at_once(
    classifier: SemanticRouterClassifier, embedder: MiniLmEmbedder
) -> None:
    vectors = [(route, _vector(embedder, text)) for route, text in HELD_OUT]
    answers: dict[int, str | None] = {}
    start = threading.Barrier(len(vectors))

    def classify(n: int) -> None:
        start.wait()
        answers[n] = classifier.classify(vectors[n][1])[0]

    threads = [threading.Thread(target=classify, args=(n,)) for n in range(len(vectors))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [answers[n] for n in range(len(vectors))] == [route for route, _ in vectors]


def test_classifier_rejects_an_embedding_of_the_wrong_dimension(classifier: SemanticRouterClassifier) -> None:
    with pytest.raises(ValueError, match="384-dimensional"):
        classifier.classify([0.1] * 12)


def test_embedder_encoder_embeds_text_and_passes_a_precomputed_vector_through(
    embedder: MiniLmEmbedder,
) -> None:
    from office_assistant.adapters.route_classifier.semantic_router import embedder_encoder_type

    encoder = embedder_encoder_type().model_validate({"name": "test", "embedder": embedder})
    given = PrecomputedVector((0.6, 0.8))

    rows = encoder(["good morning", given])
    rows_async = asyncio.run(encoder.acall([given, "good morning"]))

    assert np.allclose(rows[0], embedder.embed(["good morning"])[0], atol=1e-6)
    assert rows[1] == [0.6, 0.8]
    assert rows_async == [rows[1], rows[0]]
    with pytest.raises(TypeError, match="PrecomputedVector"):
        encoder([42])


def test_importing_the_classifier_module_leaves_semantic_router_and_torch_unloaded() -> None:
    code = (
        "import sys, office_assistant.adapters.route_classifier, office_assistant.adapters.embeddings;"
        "print(sorted(m for m in ('semantic_router', 'torch', 'sentence_transformers') if m in sys.modules))"
    )

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert result.stdout.strip() == "[]"


PROVIDER_SDKS = ("mistralai", "voyageai", "cohere", "aiohttp", "PIL", "langchain_core", "torch")

_ROUTE_IN_A_FRESH_INTERPRETER = """
import sys, zlib
import numpy as np
from office_assistant.adapters.route_classifier.semantic_router import SemanticRouterClassifier
from office_assistant.routes_file import load_route_book
from office_assistant.settings import DEFAULT_ROUTES_FILE

class WordHashEmbedder:
    dimensions = 64
    def embed(self, texts):
        rows = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in zip(rows, texts):
            for word in text.lower().split():
                row[zlib.crc32(word.encode()) % self.dimensions] += 1.0
            row /= max(float(np.linalg.norm(row)), 1e-9)
        return rows

embedder = WordHashEmbedder()
classifier = SemanticRouterClassifier(load_route_book(DEFAULT_ROUTES_FILE), embedder)
utterance = classifier.book.routes[0].utterances[0]
print(classifier.classify(embedder.embed([utterance])[0].tolist())[0] == classifier.book.routes[0].name)
print(sorted(m for m in sys.argv[1:] if m in sys.modules))
import semantic_router
from semantic_router.encoders import OpenAIEncoder
print(semantic_router.IndexedRouter.__name__, OpenAIEncoder.__name__)
"""


def test_classifier_routes_without_importing_any_provider_sdk_and_semantic_router_still_imports_whole() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _ROUTE_IN_A_FRESH_INTERPRETER, *PROVIDER_SDKS],
        capture_output=True,
        text=True,
        check=True,
    )

    routed, loaded, whole = result.stdout.strip().splitlines()
    assert routed == "True"
    assert loaded == "[]"
    assert whole == "IndexedRouter OpenAIEncoder"
