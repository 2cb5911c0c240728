"""Message store adapters: where a chat's messages and their embeddings are kept.

The names load on first use (PEP 562): a function on the Weaviate store never imports the SQLite one and numpy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from office_assistant.adapters.message_store.sqlite import SqliteMessageStore

__all__ = ["SqliteMessageStore"]


def __getattr__(name: str) -> Any:
    if name == "SqliteMessageStore":
        from office_assistant.adapters.message_store.sqlite import SqliteMessageStore

        return SqliteMessageStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
