"""The MessageStore contract: every implementation (SQLite, the in-memory fake, Weaviate) must pass it."""

from __future__ import annotations

import os
import uuid
from typing import TYPE_CHECKING

import numpy as np
import pytest

from office_assistant.adapters.message_store.sqlite import SqliteMessageStore
from office_assistant.domain.messages import Role, StoredMessage
from tests.fakes import InMemoryMessageStore

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from office_assistant.ports import MessageStore


@pytest.fixture(params=["sqlite", "in_memory", "weaviate"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MessageStore]:
    if request.param == "sqlite":
        sqlite_store = SqliteMessageStore(tmp_path / "messages.db")
        yield sqlite_store
        sqlite_store.close()
    elif request.param == "in_memory":
        yield InMemoryMessageStore()
    else:
        url = os.environ.get("WEAVIATE_URL")
        if not url:
            pytest.skip("WEAVIATE_URL not set: no Weaviate server here")
        from office_assistant.adapters.message_store.weaviate import connect_weaviate_store

        # a collection of its own per test: a shared server keeps nothing of it, and no test sees another's
        collection = f"ContractMessages{uuid.uuid4().hex}"
        weaviate_store = connect_weaviate_store(
            url,
            os.environ.get("WEAVIATE_API_KEY"),
            collection=collection,
            dimensions=384,  # the first named vector; the suite's other dimensions are added as they arrive
            grpc_url=os.environ.get("WEAVIATE_GRPC_URL"),
        )
        yield weaviate_store
        weaviate_store.client.collections.delete(collection)
        weaviate_store.close()


@pytest.fixture
def chat() -> str:
    """A chat key no other test uses, so the suite can run against a shared server."""
    return f"slack:C{uuid.uuid4().hex}"


def _message(
    chat_key: str, n: int, *, role: Role = Role.USER, ts: float | None = None, text: str = ""
) -> StoredMessage:
    return StoredMessage(
        chat_key=chat_key,
        message_id=f"m{n}",
        role=role,
        text=text or f"message {n}",
        ts=1_700_000_000.0 + n if ts is None else ts,
        user_name="alice" if role is Role.USER else "",
    )


def _unit(vector: np.ndarray) -> list[float]:
    return [float(x) for x in vector / np.linalg.norm(vector)]


def test_latest_returns_newest_messages_oldest_first(store: MessageStore, chat: str) -> None:
    for n in (3, 1, 5, 2, 4):
        store.add(_message(chat, n), None)

    latest = store.latest(chat, 3)

    assert [m.message_id for m in latest] == ["m3", "m4", "m5"]


def test_latest_returns_whole_chat_when_limit_exceeds_it(store: MessageStore, chat: str) -> None:
    for n in range(3):
        store.add(_message(chat, n), None)

    latest = store.latest(chat, 50)

    assert [m.message_id for m in latest] == ["m0", "m1", "m2"]


def test_latest_keeps_insertion_order_when_timestamps_are_equal(store: MessageStore, chat: str) -> None:
    for n in (7, 3, 9):
        store.add(_message(chat, n, ts=1_700_000_000.0), None)

    latest = store.latest(chat, 2)

    assert [m.message_id for m in latest] == ["m3", "m9"]


def test_latest_returns_nothing_when_limit_is_not_positive(store: MessageStore, chat: str) -> None:
    store.add(_message(chat, 1), None)

    assert store.latest(chat, 0) == []
    assert store.latest(chat, -1) == []


def test_latest_never_returns_messages_of_other_chats(store: MessageStore, chat: str) -> None:
    other = chat + "-other"
    store.add(_message(chat, 1), None)
    store.add(_message(other, 2), None)
    store.add(_message(other, 3), None)

    latest = store.latest(chat, 10)

    assert [(m.chat_key, m.message_id) for m in latest] == [(chat, "m1")]


def test_similar_never_returns_messages_of_other_chats(store: MessageStore, chat: str) -> None:
    other = chat + "-other"
    vector = _unit(np.ones(8))
    store.add(_message(chat, 1), _unit(np.arange(1.0, 9.0)))
    store.add(_message(other, 2), vector)

    similar = store.similar(chat, vector, 5)

    assert [(s.message.chat_key, s.message.message_id) for s in similar] == [(chat, "m1")]


def test_add_keeps_the_first_copy_when_the_same_message_is_added_twice(store: MessageStore, chat: str) -> None:
    store.add(_message(chat, 1, text="first"), _unit(np.ones(4)))

    store.add(_message(chat, 1, text="second"), _unit(np.arange(1.0, 5.0)))

    assert store.count(chat) == 1
    assert [m.text for m in store.latest(chat, 5)] == ["first"]
    assert store.similar(chat, _unit(np.ones(4)), 1)[0].score == pytest.approx(1.0, abs=1e-6)


def test_add_keeps_user_and_assistant_messages_with_the_same_id_apart(store: MessageStore, chat: str) -> None:
    store.add(_message(chat, 1, role=Role.USER), None)

    store.add(_message(chat, 1, role=Role.ASSISTANT, ts=1_700_000_001.5), None)

    assert [m.role for m in store.latest(chat, 5)] == [Role.USER, Role.ASSISTANT]


def test_count_counts_all_messages_or_one_role(store: MessageStore, chat: str) -> None:
    for n in range(5):
        store.add(_message(chat, n, role=Role.USER), None)
    for n in range(3):
        store.add(_message(chat, n, role=Role.ASSISTANT), None)
    store.add(_message(chat + "-other", 99), None)

    assert store.count(chat) == 8
    assert store.count(chat, Role.USER) == 5
    assert store.count(chat, Role.ASSISTANT) == 3
    assert store.count(chat + "-never") == 0


def test_similar_matches_brute_force_top_k_over_random_unit_vectors(store: MessageStore, chat: str) -> None:
    # GIVEN a few hundred random unit vectors in one chat
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(300, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    for n, vector in enumerate(vectors):
        store.add(_message(chat, n), [float(x) for x in vector])
    query = _unit(rng.normal(size=384))

    # WHEN the store is asked for the top 10
    similar = store.similar(chat, query, 10)

    # THEN it returns the brute-force top 10, best first, with their cosine scores
    brute = vectors.astype(np.float64) @ np.asarray(query)
    expected = np.argsort(-brute)[:10]
    assert {s.message.message_id for s in similar} == {f"m{i}" for i in expected}
    assert [s.message.message_id for s in similar] == [f"m{i}" for i in expected]
    assert [s.score for s in similar] == pytest.approx([float(brute[i]) for i in expected], abs=1e-5)


def test_similar_returns_whole_chat_best_first_when_k_exceeds_it(store: MessageStore, chat: str) -> None:
    query = _unit(np.array([1.0, 0.0, 0.0]))
    store.add(_message(chat, 1), _unit(np.array([0.0, 1.0, 0.0])))
    store.add(_message(chat, 2), _unit(np.array([1.0, 0.1, 0.0])))
    store.add(_message(chat, 3), _unit(np.array([1.0, 1.0, 0.0])))

    similar = store.similar(chat, query, 10)

    assert [s.message.message_id for s in similar] == ["m2", "m3", "m1"]
    assert [s.score for s in similar] == pytest.approx([0.995037, 0.707107, 0.0], abs=1e-5)


def test_similar_returns_nothing_when_k_is_not_positive(store: MessageStore, chat: str) -> None:
    store.add(_message(chat, 1), _unit(np.ones(4)))

    assert store.similar(chat, _unit(np.ones(4)), 0) == []
    assert store.similar(chat, _unit(np.ones(4)), -3) == []


def test_similar_returns_nothing_for_a_chat_without_messages(store: MessageStore, chat: str) -> None:
    assert store.similar(chat, _unit(np.ones(4)), 5) == []


def test_similar_leaves_out_messages_stored_without_embedding(store: MessageStore, chat: str) -> None:
    store.add(_message(chat, 1), None)
    store.add(_message(chat, 2), _unit(np.array([1.0, 2.0])))
    store.add(_message(chat, 3), None)

    similar = store.similar(chat, _unit(np.array([1.0, 2.0])), 5)

    assert [s.message.message_id for s in similar] == ["m2"]
    assert store.count(chat) == 3


def test_similar_leaves_out_embeddings_of_another_dimension(store: MessageStore, chat: str) -> None:
    store.add(_message(chat, 1), _unit(np.ones(3)))
    store.add(_message(chat, 2), _unit(np.ones(4)))

    similar = store.similar(chat, _unit(np.ones(4)), 5)

    assert [s.message.message_id for s in similar] == ["m2"]


def test_similar_scores_by_cosine_when_vectors_are_not_unit_length(store: MessageStore, chat: str) -> None:
    store.add(_message(chat, 1), [3.0, 4.0])
    store.add(_message(chat, 2), [0.0, 0.5])

    similar = store.similar(chat, [10.0, 0.0], 2)

    assert [s.message.message_id for s in similar] == ["m1", "m2"]
    assert [s.score for s in similar] == pytest.approx([0.6, 0.0], abs=1e-6)


def test_similar_puts_the_newer_message_first_when_scores_tie(store: MessageStore, chat: str) -> None:
    vector = _unit(np.ones(4))
    store.add(_message(chat, 5), vector)
    store.add(_message(chat, 9), vector)
    store.add(_message(chat, 1), vector)

    similar = store.similar(chat, vector, 2)

    assert [s.message.message_id for s in similar] == ["m9", "m5"]


def test_messages_round_trip_with_unicode_text_and_every_field(store: MessageStore, chat: str) -> None:
    message = StoredMessage(
        chat_key=chat,
        message_id="1700000000.000100",
        role=Role.ASSISTANT,
        text="Grüße aus Zürich — 東京で会いましょう 👋\nZeile zwei, \"quoted\" and 'single' \x00 nul",
        ts=1_700_000_000.25,
        user_name="Zoë Ñúñez",
        thread_id="1699999999.000001",
    )
    vector = _unit(np.arange(1.0, 7.0))

    store.add(message, vector)

    assert store.latest(chat, 1) == [message]
    assert [s.message for s in store.similar(chat, vector, 1)] == [message]


def test_between_returns_the_chats_messages_in_the_range_oldest_first(store: MessageStore, chat: str) -> None:
    for n in (5, 1, 3, 2, 4):
        store.add(_message(chat, n), None)
    store.add(_message(f"{chat}-other", 3), None)

    found = store.between(chat, 1_700_000_002.0, 1_700_000_004.0, limit=10)

    assert [m.message_id for m in found] == ["m2", "m3", "m4"]


def test_between_returns_the_first_messages_of_the_range_up_to_the_limit(store: MessageStore, chat: str) -> None:
    for n in range(1, 6):
        store.add(_message(chat, n), None)

    found = store.between(chat, 1_700_000_000.0, 1_700_000_010.0, limit=2)

    assert [m.message_id for m in found] == ["m1", "m2"]
