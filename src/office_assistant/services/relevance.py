"""Relevance branch: the chat's past messages closest to the current one, by vector similarity."""

from __future__ import annotations

from typing import TYPE_CHECKING

from office_assistant.domain.context import RelevantMessages

if TYPE_CHECKING:
    from collections.abc import Sequence

    from office_assistant.domain.routes import RouteBook
    from office_assistant.ports import MessageStore


class RelevanceService:
    def __init__(self, store: MessageStore, book: RouteBook) -> None:
        self.store = store
        self.book = book

    def relevant(
        self,
        chat_key: str,
        route_name: str | None,
        embedding: Sequence[float] | None,
        current_message_id: str | None = None,
    ) -> RelevantMessages:
        """The route's `relevant` most similar messages of the chat, in time order; none without an embedding."""
        k = self.book.get(route_name).settings.relevant
        if k <= 0 or not embedding:
            return RelevantMessages()
        scored = [
            s for s in self.store.similar(chat_key, embedding, k + 1) if s.message.message_id != current_message_id
        ]
        chosen = sorted((s.message for s in scored[:k]), key=lambda m: (m.ts, m.role.value))
        return RelevantMessages(tuple(chosen))
