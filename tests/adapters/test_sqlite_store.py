"""SQLite-only behaviour of the message store: concurrent threads and processes, and persistence on disk."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from typing import TYPE_CHECKING

import numpy as np

from office_assistant.adapters.message_store.sqlite import SqliteMessageStore
from office_assistant.domain.messages import Role, StoredMessage

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

_WRITER = """
import sys
from office_assistant.adapters.message_store.sqlite import SqliteMessageStore
from office_assistant.domain.messages import Role, StoredMessage

store = SqliteMessageStore(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
for n in range(int(sys.argv[2])):
    store.add(StoredMessage("slack:C1", f"child-{n}", Role.USER, f"from the child {n}", 1.0 + n), [1.0, float(n)])
store.close()
"""


def _message(message_id: str, ts: float, chat_key: str = "slack:C1") -> StoredMessage:
    return StoredMessage(chat_key, message_id, Role.USER, f"text of {message_id}", ts)


def test_sqlite_store_loses_nothing_when_threads_write_and_read_at_once(tmp_path: Path) -> None:
    # GIVEN one store shared by four writer threads and a reader thread, released together
    store = SqliteMessageStore(tmp_path / "messages.db")
    start = threading.Barrier(5)
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        start.wait()
        for n in range(200):
            store.add(_message(f"w{worker}-{n}", float(n)), [float(worker), float(n), 1.0])

    def read() -> None:
        start.wait()
        for _ in range(200):
            store.latest("slack:C1", 20)
            store.similar("slack:C1", [1.0, 0.0, 0.0], 5)

    def guarded(target: Callable[..., None], *args: int) -> None:
        try:
            target(*args)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(write, w)) for w in range(4)]
    threads.append(threading.Thread(target=guarded, args=(read,)))

    # WHEN they all run
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # THEN every write landed
    assert errors == []
    assert store.count("slack:C1") == 800
    assert len(store.similar("slack:C1", [1.0, 0.0, 0.0], 1000)) == 800


def test_sqlite_store_loses_nothing_when_another_process_writes_at_the_same_time(tmp_path: Path) -> None:
    # GIVEN a second process with the same file open, waiting for the signal to write
    path = tmp_path / "messages.db"
    child = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), "300"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline().strip() == "ready"
    store = SqliteMessageStore(path)

    # WHEN both processes write at once
    child.stdin.write("go\n")
    child.stdin.flush()
    for n in range(300):
        store.add(_message(f"parent-{n}", 1.0 + n), [float(n), 1.0])
    child.stdin.close()
    assert child.wait(timeout=120) == 0

    # THEN both processes' messages are all there
    assert store.count("slack:C1") == 600
    ids = {m.message_id for m in store.latest("slack:C1", 1000)}
    assert ids == {f"parent-{n}" for n in range(300)} | {f"child-{n}" for n in range(300)}


def test_sqlite_store_keeps_messages_and_embeddings_when_the_file_is_reopened(tmp_path: Path) -> None:
    path = tmp_path / "messages.db"
    first = SqliteMessageStore(path)
    first.add(_message("m1", 1.0), [0.6, 0.8])
    first.add(_message("m2", 2.0), None)
    first.close()

    reopened = SqliteMessageStore(path)

    assert [m.message_id for m in reopened.latest("slack:C1", 10)] == ["m1", "m2"]
    assert [(s.message.message_id, round(s.score, 6)) for s in reopened.similar("slack:C1", [0.6, 0.8], 5)] == [
        ("m1", 1.0)
    ]


def test_sqlite_store_creates_missing_parent_directories(tmp_path: Path) -> None:
    path = tmp_path / "not" / "there" / "yet" / "messages.db"

    store = SqliteMessageStore(path)
    store.add(_message("m1", 1.0), None)

    assert path.is_file()
    assert store.count("slack:C1") == 1


def test_sqlite_store_keeps_embeddings_as_float32_blobs(tmp_path: Path) -> None:
    store = SqliteMessageStore(tmp_path / "messages.db")
    vector = np.asarray([0.1, 0.2, 0.3], dtype=np.float64)

    store.add(_message("m1", 1.0), [float(x) for x in vector])

    with sqlite3.connect(tmp_path / "messages.db") as conn:
        (blob,) = conn.execute("SELECT embedding FROM messages").fetchone()
        (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
    assert np.frombuffer(blob, dtype=np.float32).tolist() == vector.astype(np.float32).tolist()
    assert mode == "wal"
