"""The embedded store at scale: synthetic rows written in big batches, then last-N and top-K-in-chat lookups.

Rows go straight into `SqliteMessageStore`'s own schema (the store creates it) with `executemany`, 50,000 rows a
transaction; vectors are random unit float32 of dimension 384. Lookups go through the store's public methods.
"""

from __future__ import annotations

import random
import sqlite3
import time
from typing import TYPE_CHECKING, Any

import numpy as np

from office_assistant.adapters.message_store.sqlite import SqliteMessageStore
from office_assistant_local.bench.stats import summary

if TYPE_CHECKING:
    from pathlib import Path

DIMENSIONS = 384
BATCH = 50_000


def _fill(path: Path, messages: int, chats: int, seed: int) -> float:
    """Write `messages` rows round-robin over `chats`; returns rows per second (index maintenance included)."""
    SqliteMessageStore(path).close()
    rng = np.random.default_rng(seed)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    started = time.perf_counter()
    for first in range(0, messages, BATCH):
        count = min(BATCH, messages - first)
        vectors = rng.standard_normal((count, DIMENSIONS), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        rows = (
            (
                f"bench:{(first + i) % chats}",
                str(first + i),
                "user" if i % 2 == 0 else "assistant",
                f"synthetic message {first + i}",
                1_700_000_000.0 + first + i,
                "Ana",
                None,
                vectors[i].tobytes(),
            )
            for i in range(count)
        )
        with conn:
            conn.executemany(
                "INSERT INTO messages (chat_key, message_id, role, text, ts, user_name, thread_id, embedding)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
    elapsed = time.perf_counter() - started
    conn.close()
    return messages / elapsed


def store_bench(path: Path, messages: int, chats: int, lookups: int = 500, seed: int = 7) -> dict[str, Any]:
    insert_rate = _fill(path, messages, chats, seed)
    store = SqliteMessageStore(path)
    rng = random.Random(seed)
    query_rng = np.random.default_rng(seed)
    latest_ms, similar_ms = [], []
    for _ in range(lookups):
        chat = f"bench:{rng.randrange(chats)}"
        started = time.perf_counter()
        store.latest(chat, 15)
        latest_ms.append((time.perf_counter() - started) * 1000)
        query = query_rng.standard_normal(DIMENSIONS, dtype=np.float32)
        started = time.perf_counter()
        store.similar(chat, (query / np.linalg.norm(query)).tolist(), 6)
        similar_ms.append((time.perf_counter() - started) * 1000)
    store.close()
    return {
        "messages": messages,
        "chats": chats,
        "messages_per_chat": messages // chats,
        "insert_rows_per_s": round(insert_rate),
        "last_n": {"n": 15} | summary(latest_ms, 50, 99),
        "top_k_in_chat": {"k": 6} | summary(similar_ms, 50, 99),
        "file_mb": round(path.stat().st_size / 2**20),
    }
