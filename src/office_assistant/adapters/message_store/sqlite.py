"""The embedded message store: SQLite (stdlib) for the rows, numpy for similarity over one chat's embeddings."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from office_assistant.domain.messages import Role, ScoredMessage, StoredMessage

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy.typing as npt

_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    chat_key   TEXT NOT NULL,
    message_id TEXT NOT NULL,
    role       TEXT NOT NULL,
    text       TEXT NOT NULL,
    ts         REAL NOT NULL,
    user_name  TEXT NOT NULL DEFAULT '',
    thread_id  TEXT,
    embedding  BLOB,
    UNIQUE (chat_key, message_id, role)
);
CREATE INDEX IF NOT EXISTS messages_chat_ts ON messages (chat_key, ts);
"""

_COLUMNS = "chat_key, message_id, role, text, ts, user_name, thread_id"

_Row = tuple[str, str, str, str, float, str, str | None]


def _message(row: _Row) -> StoredMessage:
    chat_key, message_id, role, text, ts, user_name, thread_id = row
    return StoredMessage(chat_key, message_id, Role(role), text, ts, user_name, thread_id)


def _as_vector(embedding: Sequence[float]) -> npt.NDArray[np.float32]:
    vector = np.asarray(embedding, dtype=np.float32)
    if vector.ndim != 1 or vector.size == 0:
        raise ValueError(f"an embedding must be a non-empty 1-D sequence, got shape {vector.shape}")
    return vector


def _top_k_order(scores: npt.NDArray[np.float32], k: int) -> npt.NDArray[np.intp]:
    """Indices of the `k` best scores, best first; equal scores keep their input order.

    argpartition alone picks arbitrarily among scores tied at the cut, so every score equal to the k-th best
    is kept as a candidate and a stable sort decides.
    """
    if k <= 0 or scores.size == 0:
        return np.empty(0, dtype=np.intp)
    if k < scores.size:
        kth_best = np.partition(scores, scores.size - k)[scores.size - k]
        candidates = np.flatnonzero(scores >= kth_best)
    else:
        candidates = np.arange(scores.size)
    order = candidates[np.argsort(-scores[candidates], kind="stable")]
    return order[:k]


class SqliteMessageStore:
    """MessageStore on one SQLite file, safe for several threads and several processes.

    Threads share one connection (`check_same_thread=False`) behind a lock rather than one connection per
    thread: every operation takes well under a few milliseconds, so serialising them inside a process costs
    nothing measurable, while the local engine starts fresh threads for Parallel branches, and per-thread
    connections would be opened for each and closed only by the garbage collector. One connection also
    gives `close()` a definite meaning. Processes are kept apart by SQLite itself: WAL lets readers run
    beside the one writer, and `busy_timeout` makes a writer wait for the lock instead of failing.

    Similarity ties are broken towards the newer message (then the later insert): equally close, the more
    recent one is the better context.
    """

    def __init__(self, path: Path | str, busy_timeout_ms: int = 10_000) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(
            self.path, timeout=busy_timeout_ms / 1000, isolation_level=None, check_same_thread=False
        )
        self._conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        self._conn.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL never corrupts the file; a power cut may lose the last commits, not the database.
        self._conn.execute("PRAGMA synchronous = NORMAL")
        with self._lock:
            self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def add(self, message: StoredMessage, embedding: Sequence[float] | None) -> None:
        """Store a message; the first copy of a (chat_key, message_id, role) wins, later ones are ignored."""
        blob = None if embedding is None else _as_vector(embedding).tobytes()
        with self._lock:
            self._conn.execute(
                f"INSERT OR IGNORE INTO messages ({_COLUMNS}, embedding) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    message.chat_key,
                    message.message_id,
                    message.role.value,
                    message.text,
                    message.ts,
                    message.user_name,
                    message.thread_id,
                    blob,
                ),
            )

    def latest(self, chat_key: str, limit: int) -> list[StoredMessage]:
        """The chat's newest `limit` messages, oldest first; equal timestamps keep their insertion order."""
        if limit <= 0:
            return []
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_COLUMNS} FROM messages WHERE chat_key = ? ORDER BY ts DESC, rowid DESC LIMIT ?",
                (chat_key, limit),
            ).fetchall()
        return [_message(row) for row in reversed(rows)]

    def similar(self, chat_key: str, embedding: Sequence[float], k: int) -> list[ScoredMessage]:
        """The chat's `k` messages closest to `embedding` by cosine, best first.

        Messages stored without an embedding, or with one of another dimension (written by another
        embedder), cannot be compared and are left out.
        """
        if k <= 0:
            return []
        query = _as_vector(embedding)
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_COLUMNS}, embedding FROM messages"
                " WHERE chat_key = ? AND embedding IS NOT NULL AND length(embedding) = ?"
                " ORDER BY ts DESC, rowid DESC",
                (chat_key, query.nbytes),
            ).fetchall()
        if not rows:
            return []
        matrix = np.frombuffer(b"".join(row[7] for row in rows), dtype=np.float32).reshape(len(rows), query.size)
        row_norms = np.linalg.norm(matrix, axis=1)
        row_norms[row_norms == 0] = 1.0
        query_norm = float(np.linalg.norm(query)) or 1.0
        scores = (matrix @ query) / (row_norms * query_norm)
        return [ScoredMessage(_message(rows[i][:7]), float(scores[i])) for i in _top_k_order(scores, k)]

    def between(self, chat_key: str, start_ts: float, end_ts: float, limit: int) -> list[StoredMessage]:
        """The chat's messages from `start_ts` to `end_ts` (inclusive), oldest first, at most `limit`."""
        if limit <= 0 or end_ts < start_ts:
            return []
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_COLUMNS} FROM messages WHERE chat_key = ? AND ts >= ? AND ts <= ?"
                " ORDER BY ts, rowid LIMIT ?",
                (chat_key, start_ts, end_ts, limit),
            ).fetchall()
        return [_message(row) for row in rows]

    def count(self, chat_key: str, role: Role | None = None) -> int:
        with self._lock:
            if role is None:
                row = self._conn.execute("SELECT COUNT(*) FROM messages WHERE chat_key = ?", (chat_key,)).fetchone()
            else:
                row = self._conn.execute(
                    "SELECT COUNT(*) FROM messages WHERE chat_key = ? AND role = ?", (chat_key, role.value)
                ).fetchone()
        return int(row[0])
