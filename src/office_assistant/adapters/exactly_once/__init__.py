"""Exactly-once port adapters: run a message's work once, however often a step is retried or re-executed."""

from __future__ import annotations

from office_assistant.adapters.exactly_once.powertools import PowertoolsExactlyOnce

__all__ = ["PowertoolsExactlyOnce"]
