"""Message store adapters: where a chat's messages and their embeddings are kept."""

from __future__ import annotations

from office_assistant.adapters.message_store.sqlite import SqliteMessageStore

__all__ = ["SqliteMessageStore"]
