"""Injected I/O latency: a seeded profile of per-query delays, and port wrappers that sleep a draw, then delegate.

The benchmark hands these wrappers to the Container as overrides, so the real branch functions run unchanged and
only the time an outside system would take is added at the adapter boundary. Every draw is recorded per message,
so each message's critical-path bound (route + the slowest branch) is known exactly.

The legacy queried two Weaviate collections (UserMessages, AssistantMessages), so its history and its relevance
each cost two queries where ours cost one. Every message therefore also gets a draw for the legacy's second
history query and second relevance search, from the same per-query ranges; a plan with `legacy=True` makes the
store wrappers sleep both (legacy-behaviour.md §3).
"""

from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from office_assistant.domain.messages import Role, ScoredMessage, StoredMessage
    from office_assistant.ports import Embedder, MessageStore, StateTable

STEPS = ("route", "history", "relevance", "auxiliary")

# The system's own design figures (ms): route 100-200, a history query 500-1000, a relevance search 300-600,
# auxiliary 200-400.
DESIGN_RANGES: dict[str, tuple[float, float]] = {
    "route": (100.0, 200.0),
    "history": (500.0, 1000.0),
    "relevance": (300.0, 600.0),
    "auxiliary": (200.0, 400.0),
}


@dataclass(frozen=True)
class LatencyProfile:
    """Uniform ranges in ms per step, and the seed the draws come from."""

    ranges: dict[str, tuple[float, float]]
    seed: int = 0

    @classmethod
    def design(cls, seed: int = 20261129) -> LatencyProfile:
        return cls(dict(DESIGN_RANGES), seed)

    @classmethod
    def zero(cls) -> LatencyProfile:
        return cls({step: (0.0, 0.0) for step in STEPS}, 0)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LatencyProfile:
        """`{"seed": 1, "route_ms": [100, 200], ...}`; a step left out keeps its design range."""
        ranges = dict(DESIGN_RANGES)
        for step in STEPS:
            if (value := data.get(f"{step}_ms")) is not None:
                low, high = float(value[0]), float(value[1])
                if not 0 <= low <= high:
                    raise ValueError(f"{step}_ms must be [low, high] with 0 <= low <= high, got {value!r}")
                ranges[step] = (low, high)
        return cls(ranges, int(data.get("seed", 0)))

    @classmethod
    def load(cls, path: Path) -> LatencyProfile:
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))

    def to_dict(self) -> dict[str, Any]:
        return {"seed": self.seed} | {f"{step}_ms": list(self.ranges[step]) for step in STEPS}

    def draws(self, keys: Sequence[str]) -> dict[str, Draws]:
        """One draw per step for each key, in order, from the profile's seed: same profile and keys, same draws.

        The legacy's second queries come from a second generator (seed + 1), so adding them left our draws as
        they were.
        """
        rng, legacy = random.Random(self.seed), random.Random(self.seed + 1)
        draws = {}
        for key in keys:
            ours = {step: rng.uniform(*self.ranges[step]) for step in STEPS}
            second_history = legacy.uniform(*self.ranges["history"])
            second_relevance = legacy.uniform(*self.ranges["relevance"])
            draws[key] = Draws(**ours, legacy_second_history=second_history, legacy_second_relevance=second_relevance)
        return draws


@dataclass(frozen=True)
class Draws:
    """The delays (ms) injected for one message: ours, and the legacy's second history and relevance queries."""

    route: float
    history: float
    relevance: float
    auxiliary: float
    legacy_second_history: float = 0.0
    legacy_second_relevance: float = 0.0

    @property
    def bound_ms(self) -> float:
        """The critical path: route, then the slowest of the three parallel branches."""
        return self.route + max(self.history, self.relevance, self.auxiliary)

    @property
    def serial_ms(self) -> float:
        """Our branches in series."""
        return self.route + self.history + self.relevance + self.auxiliary

    @property
    def legacy_serial_ms(self) -> float:
        """The legacy's order: route, user and assistant history, user and assistant relevance, the mute read."""
        return self.serial_ms + self.legacy_second_history + self.legacy_second_relevance


@dataclass
class LatencyPlan:
    """Which draws belong to which chat (store and state calls) and to which text (the Route step's embed).

    `legacy`: the store wrappers also sleep the legacy's second query (its other collection).
    """

    by_chat: dict[str, Draws] = field(default_factory=dict)
    by_text: dict[str, Draws] = field(default_factory=dict)
    legacy: bool = False

    def add(self, chat_key: str, text: str, draws: Draws) -> None:
        self.by_chat[chat_key] = draws
        self.by_text[text.strip()] = draws


def _sleep_ms(ms: float) -> None:
    if ms > 0:
        time.sleep(ms / 1000)


class DelayedStore:
    """A MessageStore whose `latest` costs a history draw and `similar` a relevance draw, per chat (two each, one
    per collection, in a legacy plan)."""

    def __init__(self, inner: MessageStore, plan: LatencyPlan) -> None:
        self.inner = inner
        self.plan = plan

    def _draws(self, chat_key: str) -> Draws | None:
        return self.plan.by_chat.get(chat_key)

    def add(self, message: StoredMessage, embedding: Sequence[float] | None) -> None:
        self.inner.add(message, embedding)

    def latest(self, chat_key: str, limit: int) -> list[StoredMessage]:
        if draws := self._draws(chat_key):
            _sleep_ms(draws.history)
            if self.plan.legacy:
                _sleep_ms(draws.legacy_second_history)
        return self.inner.latest(chat_key, limit)

    def similar(self, chat_key: str, embedding: Sequence[float], k: int) -> list[ScoredMessage]:
        if draws := self._draws(chat_key):
            _sleep_ms(draws.relevance)
            if self.plan.legacy:
                _sleep_ms(draws.legacy_second_relevance)
        return self.inner.similar(chat_key, embedding, k)

    def count(self, chat_key: str, role: Role | None = None) -> int:
        return self.inner.count(chat_key, role)

    def between(self, chat_key: str, start_ts: float, end_ts: float, limit: int) -> list[StoredMessage]:
        return self.inner.between(chat_key, start_ts, end_ts, limit)


class DelayedStateTable:
    """A StateTable whose `is_muted` (the Auxiliary branch's lookup, ERP included) costs an auxiliary draw."""

    def __init__(self, inner: StateTable, plan: LatencyPlan) -> None:
        self.inner = inner
        self.plan = plan

    def is_muted(self, chat_key: str) -> bool:
        if draws := self.plan.by_chat.get(chat_key):
            _sleep_ms(draws.auxiliary)
        return self.inner.is_muted(chat_key)

    def set_muted(self, chat_key: str, muted: bool) -> None:
        self.inner.set_muted(chat_key, muted)

    def claim(self, key: str, ttl_seconds: int) -> bool:
        return self.inner.claim(key, ttl_seconds)

    def release(self, key: str) -> None:
        self.inner.release(key)


class DelayedEmbedder:
    """An Embedder whose call for a planned message text costs that message's route draw (embed + classify)."""

    def __init__(self, inner: Embedder, plan: LatencyPlan) -> None:
        self.inner = inner
        self.plan = plan
        self._lock = threading.Lock()

    @property
    def dimensions(self) -> int:
        return self.inner.dimensions

    def embed(self, texts: Sequence[str]) -> Any:
        if len(texts) == 1 and (draws := self.plan.by_text.get(texts[0].strip())):
            _sleep_ms(draws.route)
        return self.inner.embed(texts)
