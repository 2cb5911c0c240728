"""Route classifier adapters: which route a message takes, decided from its embedding."""

from __future__ import annotations

from office_assistant.adapters.route_classifier.semantic_router import PrecomputedVector, SemanticRouterClassifier

__all__ = ["PrecomputedVector", "SemanticRouterClassifier"]
