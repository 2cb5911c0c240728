"""Embedding adapters: text to unit-length vectors, for routing and similarity search."""

from __future__ import annotations

from office_assistant.adapters.embeddings.minilm import MiniLmEmbedder

__all__ = ["MiniLmEmbedder"]
