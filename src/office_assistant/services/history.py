"""History branch: the chat's latest messages, split into a part to summarise and a verbatim part."""

from __future__ import annotations

from typing import TYPE_CHECKING

from office_assistant.domain.context import HistoryWindow

if TYPE_CHECKING:
    from office_assistant.domain.routes import RouteBook
    from office_assistant.ports import MessageStore


class HistoryService:
    def __init__(self, store: MessageStore, book: RouteBook) -> None:
        self.store = store
        self.book = book

    def window(self, chat_key: str, route_name: str | None, current_message_id: str | None = None) -> HistoryWindow:
        """The last summary_len + full_text_len messages (user and assistant), oldest first.

        The newest full_text_len are kept verbatim, the older ones are summarised. The current message is left
        out even when a retried execution has already stored it.
        """
        settings = self.book.get(route_name).settings
        wanted = settings.summary_len + settings.full_text_len
        if wanted <= 0:
            return HistoryWindow()
        latest = [m for m in self.store.latest(chat_key, wanted + 1) if m.message_id != current_message_id]
        latest = latest[-wanted:]
        split = max(0, len(latest) - settings.full_text_len)
        return HistoryWindow(to_summarise=tuple(latest[:split]), verbatim=tuple(latest[split:]))
