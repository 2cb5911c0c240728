"""The production embedder: OpenAI embeddings (text-embedding-3-small by default) through the openai client."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import numpy as np

from office_assistant.adapters import openai_sdk
from office_assistant.adapters.embeddings.token_limit import TokenLimit
from office_assistant.adapters.openai_deadline import deadline_bound
from office_assistant.domain.errors import EmbeddingError

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy.typing as npt

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "text-embedding-3-small"
DEFAULT_DIMENSIONS = 1536
BATCH_SIZE = 256  # well under OpenAI's 2048 inputs per request
REQUEST_TOKENS = 300_000  # OpenAI's limit on the tokens of all inputs of one request


class OpenAiEmbedder:
    """Embedder on `embeddings.create`; every failure becomes an EmbeddingError naming its cause.

    `dimensions` is sent to the text-embedding-3 models, which shorten their vectors to it; older models (ada-002)
    refuse the parameter, so for them it only states the length their vectors must have. Rows are L2-normalised
    here as well, because a shortened vector is only unit-length if the service says so.
    """

    def __init__(
        self,
        client: openai_sdk.OpenAI,
        model: str = DEFAULT_MODEL,
        dimensions: int = DEFAULT_DIMENSIONS,
        batch_size: int = BATCH_SIZE,
        token_limit: TokenLimit | None = None,
    ) -> None:
        self.client = client
        self.model = model
        self._dimensions = dimensions
        self.batch_size = batch_size
        self.token_limit = token_limit or TokenLimit.for_model(model)

    @property
    def dimensions(self) -> int:
        return self._dimensions

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """One L2-normalised float32 row per text, in order.

        Each text is cut to the model's input limit in tokens first (a long document must not fail the Route
        step); requests go in batches of at most `batch_size` texts and REQUEST_TOKENS tokens.
        """
        rows = np.empty((len(texts), self._dimensions), dtype=np.float32)
        for start, batch in self._batches(texts):
            rows[start : start + len(batch)] = self._embed_batch(batch)
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        if np.any(norms == 0):
            raise EmbeddingError(f"embeddings model {self.model!r} returned a zero vector")
        return np.ascontiguousarray(rows / norms, dtype=np.float32)

    def _batches(self, texts: Sequence[str]) -> list[tuple[int, list[str]]]:
        """(index of the first text, cut texts) per request, within the per-request text and token limits."""
        batches: list[tuple[int, list[str]]] = []
        batch: list[str] = []
        start = tokens = 0
        for index, text in enumerate(texts):
            cut, size = self.token_limit.fit(text)
            if batch and (len(batch) == self.batch_size or tokens + size > REQUEST_TOKENS):
                batches.append((start, batch))
                start, batch, tokens = index, [], 0
            batch.append(cut)
            tokens += size
        if batch:
            batches.append((start, batch))
        return batches

    def _embed_batch(self, texts: list[str]) -> npt.NDArray[np.float32]:
        options: dict[str, Any] = {"dimensions": self._dimensions} if self.model.startswith("text-embedding-3") else {}
        try:
            response = deadline_bound(self.client).embeddings.create(model=self.model, input=texts, **options)
        except openai_sdk.APIStatusError as exc:
            raise EmbeddingError(
                f"embeddings model {self.model!r} answered HTTP {exc.status_code}: {exc.message}"
            ) from exc
        except (openai_sdk.OpenAIError, ValueError) as exc:  # the client's base64 decoding raises ValueError
            raise EmbeddingError(f"embeddings model {self.model!r} failed: {type(exc).__name__}: {exc}") from exc
        data = sorted(response.data, key=lambda item: item.index)
        if len(data) != len(texts):
            raise EmbeddingError(f"embeddings model {self.model!r} returned {len(data)} vectors for {len(texts)} texts")
        if lengths := {len(item.embedding) for item in data} - {self._dimensions}:
            raise EmbeddingError(
                f"embeddings model {self.model!r} returned {sorted(lengths)}-dimensional vectors, "
                f"expected {self._dimensions}"
            )
        usage = getattr(response, "usage", None)
        logger.debug("embedded", extra={"texts": len(texts), "tokens": getattr(usage, "prompt_tokens", None)})
        return np.asarray([item.embedding for item in data], dtype=np.float32)
