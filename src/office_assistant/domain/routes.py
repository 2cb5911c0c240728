"""Routes: what kind of request a message is, and the settings that shape the answer to it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from office_assistant.domain.messages import InboundMessage


@dataclass(frozen=True)
class RouteSettings:
    """Per-route knobs, all of them used by the workflow.

    summary_len: older messages that are summarised; full_text_len: newest messages kept verbatim;
    relevant: how many similar past messages Relevance gathers (0 skips the search).
    tools: the tools offered on this route, where their platform and settings allow (tools/toolbox.py).
    """

    summary_len: int
    full_text_len: int
    relevant: int
    system_prompt: str
    assistant_prompt: str
    model: str
    temperature: float
    max_tokens: int = 1024
    needs_erp: bool = False
    tools: tuple[str, ...] = ()  # the model tools this route offers (tools/catalogue.py names)


@dataclass(frozen=True)
class Route:
    name: str
    settings: RouteSettings
    utterances: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class RouteBook:
    """All routes plus the fallback used when nothing matches (or routing failed)."""

    routes: tuple[Route, ...]
    default: Route
    score_threshold: float = 0.3

    def with_token_cap(self, cap: int) -> RouteBook:
        """The same routes with `max_tokens` at most `cap` (a small local model)."""

        def capped(route: Route) -> Route:
            return replace(route, settings=replace(route.settings, max_tokens=min(route.settings.max_tokens, cap)))

        return replace(self, routes=tuple(capped(r) for r in self.routes), default=capped(self.default))

    def get(self, name: str | None) -> Route:
        for route in self.routes:
            if route.name == name:
                return route
        return self.default


@dataclass(frozen=True)
class RoutedMessage:
    """The outcome of routing: the route to use, what the router said, and the query embedding to reuse."""

    route: Route
    matched: str | None
    confidence: float | None
    embedding: tuple[float, ...] | None
    notes: tuple[str, ...] = ()
    message: InboundMessage | None = None  # the message as the Route step prepared it (media worked in)
