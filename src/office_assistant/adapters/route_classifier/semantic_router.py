"""Route classifier on semantic-router: the route whose example utterances lie nearest the message's embedding.

semantic-router 1.1.1 imports every provider SDK when any of its modules is imported the ordinary way (2-3 s
here): nothing of it is imported until the router is built, and then only the four modules the router needs
(`semantic_router_import`); importing this module stays cheap.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Sequence

    from semantic_router.encoders.base import DenseEncoder
    from semantic_router.routers.indexed import IndexedRouter

    from office_assistant.domain.routes import RouteBook
    from office_assistant.ports import Embedder

# The TOP_K utterances nearest the query are found; each route scores its best hit among them (the legacy also
# compared the best single score with the threshold), and the top route wins if that score clears the book's
# score_threshold. With MiniLM, "max" separated held-out paraphrases from gibberish better than "mean" or "sum".
TOP_K: Final = 5
AGGREGATION: Final = "max"


@dataclass(frozen=True)
class PrecomputedVector:
    """A query that is already embedded; the encoder hands it through instead of embedding it again."""

    values: tuple[float, ...]


@cache
def embedder_encoder_type() -> type[DenseEncoder]:
    """The DenseEncoder subclass that wraps our Embedder; built on first use so semantic-router loads late."""
    from office_assistant.adapters.route_classifier.semantic_router_import import skip_package_inits

    skip_package_inits()
    from semantic_router.encoders.base import DenseEncoder

    class EmbedderEncoder(DenseEncoder):
        """Embeds texts with our Embedder; a PrecomputedVector passes through untouched."""

        embedder: Any
        type: str = "office_assistant"

        def __call__(self, docs: list[Any]) -> list[list[float]]:
            rows: list[list[float]] = [[] for _ in docs]
            texts = [(i, doc) for i, doc in enumerate(docs) if isinstance(doc, str)]
            for i, doc in enumerate(docs):
                if isinstance(doc, PrecomputedVector):
                    rows[i] = list(doc.values)
                elif not isinstance(doc, str):
                    raise TypeError(f"cannot encode a {type(doc).__name__}: pass text or a PrecomputedVector")
            if texts:
                embedded = self.embedder.embed([text for _, text in texts])
                for (i, _), row in zip(texts, embedded, strict=True):
                    rows[i] = [float(x) for x in row]
            return rows

        async def acall(self, docs: list[Any]) -> list[list[float]]:
            # the embedder blocks (CPU-bound model), so keep it off the caller's event loop
            return await asyncio.to_thread(self.__call__, docs)

    return EmbedderEncoder


class SemanticRouterClassifier:
    """RouteClassifier on a semantic-router IndexedRouter with a local in-memory index.

    The router (and with it semantic-router itself) is built on the first `classify`, which also embeds every
    utterance of the book in one batch. `classify` hands the router the message's own embedding, so the text
    is embedded once, by the Route step, and the same vector serves Relevance later. Calls are serialised:
    each takes about a millisecond, and semantic-router starts its shared event loop without a lock.
    """

    def __init__(self, book: RouteBook, embedder: Embedder) -> None:
        self.book = book
        self.embedder = embedder
        self._router: IndexedRouter | None = None
        self._lock = threading.Lock()

    def classify(self, embedding: Sequence[float]) -> tuple[str | None, float | None]:
        """(route name, cosine of its nearest utterance), or (None, None) when that is below the book's threshold."""
        if len(embedding) != self.embedder.dimensions:
            raise ValueError(f"expected a {self.embedder.dimensions}-dimensional embedding, got {len(embedding)}")
        query = PrecomputedVector(tuple(float(x) for x in embedding))
        with self._lock:
            router = self._build()
            # semantic-router types the query as text; its encoder (ours) decides what it accepts
            choice = router(query, limit=1)  # type: ignore[arg-type]
        if isinstance(choice, list):
            raise TypeError("semantic-router returned a list for limit=1")
        if choice.name is None or choice.confidence is None:
            return None, None
        return choice.name, float(choice.confidence)

    def warm(self) -> None:
        """Build the router now (import semantic-router, embed the utterances) instead of on the first message."""
        with self._lock:
            self._build()

    def _build(self) -> IndexedRouter:
        """The router, built once; the caller holds the lock."""
        if self._router is None:
            encoder_type = embedder_encoder_type()  # first: it keeps semantic-router's provider SDKs out
            from semantic_router.index.local import LocalIndex
            from semantic_router.route import Route
            from semantic_router.routers.indexed import IndexedRouter

            encoder = encoder_type.model_validate({"name": "office-assistant", "embedder": self.embedder})
            routes = [Route(name=route.name, utterances=list(route.utterances)) for route in self.book.routes]
            self._router = IndexedRouter(
                encoder=encoder,
                routes=routes,
                index=LocalIndex(),
                top_k=TOP_K,
                aggregation=AGGREGATION,
                confidence_threshold=self.book.score_threshold,
            )
        return self._router
