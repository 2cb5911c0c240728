"""History branch: the chat's latest messages per role, split into a part to summarise and a verbatim part."""

from __future__ import annotations

from typing import TYPE_CHECKING

from office_assistant.domain.context import HistoryWindow
from office_assistant.domain.messages import Role

if TYPE_CHECKING:
    from office_assistant.domain.messages import StoredMessage
    from office_assistant.domain.routes import RouteBook
    from office_assistant.ports import MessageStore


class HistoryService:
    def __init__(self, store: MessageStore, book: RouteBook) -> None:
        self.store = store
        self.book = book

    def window(self, chat_key: str, route_name: str | None, current_message_id: str | None = None) -> HistoryWindow:
        """Per role, as the legacy counted: the newest summary_len + full_text_len user messages and as many
        assistant messages; of each, the newest full_text_len are kept verbatim and the older ones summarised.

        So up to 2 x full_text_len messages are verbatim and 2 x summary_len summarised, both in time order (user
        before assistant at the same instant). The legacy queried each role's collection on its own; here both
        come from the chat's newest 2 x (summary_len + full_text_len) messages, so a role that has fewer than its
        share among those is not looked for further back. The current message is left out even when a retried
        execution has already stored it.
        """
        settings = self.book.get(route_name).settings
        per_role = settings.summary_len + settings.full_text_len
        if per_role <= 0:
            return HistoryWindow()
        latest = [m for m in self.store.latest(chat_key, 2 * per_role + 1) if m.message_id != current_message_id]
        verbatim: list[StoredMessage] = []
        to_summarise: list[StoredMessage] = []
        for role in (Role.USER, Role.ASSISTANT):
            mine = [m for m in latest if m.role is role][-per_role:]
            split = max(0, len(mine) - settings.full_text_len)
            to_summarise += mine[:split]
            verbatim += mine[split:]
        return HistoryWindow(to_summarise=_in_time_order(to_summarise), verbatim=_in_time_order(verbatim))


def _in_time_order(messages: list[StoredMessage]) -> tuple[StoredMessage, ...]:
    return tuple(sorted(messages, key=lambda m: (m.ts, m.role is Role.ASSISTANT)))
