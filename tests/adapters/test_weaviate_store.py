"""The Weaviate message store at the wire: the real weaviate-client against a loopback Weaviate that records.

These tests check what the adapter asks Weaviate for (schema, ids, vectors, filters, sort, limits) and how it
reads the answers. Whether a real Weaviate answers as assumed is the contract suite's job, run with WEAVIATE_URL.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Any

import pytest
import weaviate
from weaviate.exceptions import UnexpectedStatusCodeError
from weaviate.proto.v1 import base_pb2
from weaviate.util import generate_uuid5

from office_assistant.adapters.message_store.weaviate import WeaviateMessageStore, connect_weaviate_store
from office_assistant.domain.messages import Role, StoredMessage
from office_assistant_local.standins.weaviate import WeaviateLoopback

if TYPE_CHECKING:
    from collections.abc import Iterator

    from office_assistant_local.standins.recorder import RecordedRequest

CHAT = "slack:C1"


@pytest.fixture
def loopback() -> Iterator[WeaviateLoopback]:
    with WeaviateLoopback() as server:
        yield server


def _client(loopback: WeaviateLoopback) -> weaviate.WeaviateClient:
    # init checks would ask PyPI for the latest client version: no network in tests
    return weaviate.connect_to_custom(
        http_host="127.0.0.1",
        http_port=loopback.http_port,
        http_secure=False,
        grpc_host="127.0.0.1",
        grpc_port=loopback.grpc_port,
        grpc_secure=False,
        skip_init_checks=True,
    )


@pytest.fixture
def store(loopback: WeaviateLoopback) -> Iterator[WeaviateMessageStore]:
    weaviate_store = WeaviateMessageStore(_client(loopback), dimensions=3)
    weaviate_store.ensure_schema()
    loopback.clear()
    yield weaviate_store
    weaviate_store.close()


@pytest.fixture
def legacy(loopback: WeaviateLoopback) -> Iterator[WeaviateMessageStore]:
    weaviate_store = WeaviateMessageStore(_client(loopback), legacy_pair=True)
    weaviate_store.ensure_schema()
    loopback.clear()
    yield weaviate_store
    weaviate_store.close()


def _message(n: int, *, role: Role = Role.USER, ts: float | None = None, text: str = "") -> StoredMessage:
    return StoredMessage(CHAT, f"m{n}", role, text or f"message {n}", 1_700_000_000.0 + n if ts is None else ts)


def _sent(loopback: WeaviateLoopback, method: str, path: str) -> list[RecordedRequest]:
    return [r for r in loopback.requests if r.method == method and r.path == path]


def _equal(filters: base_pb2.Filters) -> tuple[str, Any]:
    assert filters.operator == base_pb2.Filters.OPERATOR_EQUAL
    return filters.target.property, getattr(filters, filters.WhichOneof("test_value") or "")


def _floats(raw: bytes) -> list[float]:
    return list(struct.unpack(f"<{len(raw) // 4}f", raw))


def test_ensure_schema_creates_one_collection_with_a_role_property_and_a_self_provided_cosine_vector(
    loopback: WeaviateLoopback,
) -> None:
    store = WeaviateMessageStore(_client(loopback), dimensions=384)

    store.ensure_schema()
    store.close()

    [create] = _sent(loopback, "POST", "/v1/schema")
    assert create.body["class"] == "Messages"
    assert create.body["vectorConfig"] == {
        "dim384": {"vectorizer": {"none": {}}, "vectorIndexType": "hnsw", "vectorIndexConfig": {"distance": "cosine"}}
    }
    types = {p["name"]: (p["dataType"], p.get("tokenization")) for p in create.body["properties"]}
    assert types == {
        "chat_key": (["text"], "field"),
        "message_id": (["text"], "field"),
        "role": (["text"], "field"),
        "text": (["text"], None),
        "ts": (["number"], None),
        "seq": (["int"], None),
        "user_name": (["text"], None),
        "thread_id": (["text"], "field"),
    }


def test_ensure_schema_leaves_an_existing_collection_alone(
    loopback: WeaviateLoopback, store: WeaviateMessageStore
) -> None:
    store.ensure_schema()

    assert [(r.method, r.path) for r in loopback.requests] == [("GET", "/v1/schema/Messages")]


def test_add_inserts_under_a_uuid_derived_from_chat_message_and_role_with_the_given_vector(
    loopback: WeaviateLoopback, store: WeaviateMessageStore
) -> None:
    message = StoredMessage(CHAT, "1700000000.000100", Role.USER, "hello", 1_700_000_000.25, "alice", "1699.1")

    store.add(message, [0.6, 0.8, 0.0])

    [insert] = _sent(loopback, "POST", "/v1/objects")
    assert insert.body["class"] == "Messages"
    assert insert.body["id"] == generate_uuid5((CHAT, "1700000000.000100", "user"))
    assert insert.body["vectors"] == {"dim3": [0.6, 0.8, 0.0]}
    properties = dict(insert.body["properties"])
    assert isinstance(properties.pop("seq"), int)
    assert properties == {
        "chat_key": CHAT,
        "message_id": "1700000000.000100",
        "role": "user",
        "text": "hello",
        "ts": 1_700_000_000.25,
        "user_name": "alice",
        "thread_id": "1699.1",
    }


def test_add_keeps_the_first_copy_when_the_write_is_retried(
    loopback: WeaviateLoopback, store: WeaviateMessageStore
) -> None:
    store.add(_message(1, text="first"), [1.0, 0.0, 0.0])

    store.add(_message(1, text="second"), [0.0, 1.0, 0.0])

    uuid = generate_uuid5((CHAT, "m1", "user"))
    assert [r.method for r in loopback.requests] == ["POST", "POST", "HEAD"]  # no PUT/PATCH: nothing overwritten
    assert _sent(loopback, "HEAD", f"/v1/objects/Messages/{uuid}")
    stored = loopback.stored("Messages")
    assert list(stored) == [uuid]
    assert stored[uuid]["properties"]["text"] == "first"
    assert stored[uuid]["vectors"] == {"dim3": [1.0, 0.0, 0.0]}


def test_add_raises_when_weaviate_refuses_the_insert_for_another_reason(loopback: WeaviateLoopback) -> None:
    store = WeaviateMessageStore(_client(loopback), "NeverCreated")  # no schema: the insert is refused

    with pytest.raises(UnexpectedStatusCodeError):
        store.add(_message(1), None)
    store.close()

    assert [(r.method, r.path) for r in loopback.requests if r.path != "/v1/meta"] == [
        ("POST", "/v1/objects"),
        ("HEAD", f"/v1/objects/NeverCreated/{generate_uuid5((CHAT, 'm1', 'user'))}"),
    ]


def test_ensure_schema_refuses_to_create_the_collection_without_the_embedder_dimensions(
    loopback: WeaviateLoopback,
) -> None:
    store = WeaviateMessageStore(_client(loopback))

    with pytest.raises(ValueError, match="dimensions"):
        store.ensure_schema()
    store.close()

    assert _sent(loopback, "POST", "/v1/schema") == []


def test_add_adds_a_named_vector_the_first_time_an_embedding_of_a_new_dimension_arrives(
    loopback: WeaviateLoopback, store: WeaviateMessageStore
) -> None:
    store.add(_message(1), [1.0, 0.0, 0.0, 0.0])
    store.add(_message(2), [0.0, 1.0, 0.0, 0.0])

    [update] = _sent(loopback, "PUT", "/v1/schema/Messages")
    assert set(update.body["vectorConfig"]) == {"dim3", "dim4"}
    assert update.body["vectorConfig"]["dim4"]["vectorizer"] == {"none": {}}
    assert [r.body["vectors"] for r in _sent(loopback, "POST", "/v1/objects")] == [
        {"dim4": [1.0, 0.0, 0.0, 0.0]},
        {"dim4": [0.0, 1.0, 0.0, 0.0]},
    ]


def test_add_stores_a_message_without_embedding_without_a_vector(
    loopback: WeaviateLoopback, store: WeaviateMessageStore
) -> None:
    store.add(_message(1), None)

    [insert] = _sent(loopback, "POST", "/v1/objects")
    assert "vectors" not in insert.body
    assert "vector" not in insert.body


def test_latest_sends_the_chat_filter_a_newest_first_sort_and_the_limit_and_returns_oldest_first(
    loopback: WeaviateLoopback, store: WeaviateMessageStore
) -> None:
    for n in (3, 1, 5, 2, 4):
        store.add(_message(n), None)
    store.add(StoredMessage(CHAT + "-other", "m9", Role.USER, "elsewhere", 1_800_000_000.0), None)

    latest = store.latest(CHAT, 3)

    [search] = loopback.grpc_requests("Search")
    assert search.collection == "Messages"
    assert _equal(search.filters) == ("chat_key", CHAT)
    assert [(s.path[0], s.ascending) for s in search.sort_by] == [("ts", False), ("seq", False)]
    assert search.limit == 3
    assert not search.HasField("near_vector")
    assert [m.message_id for m in latest] == ["m3", "m4", "m5"]


def test_latest_keeps_insertion_order_when_timestamps_are_equal(
    loopback: WeaviateLoopback, store: WeaviateMessageStore
) -> None:
    for n in (7, 3, 9):
        store.add(_message(n, ts=1_700_000_000.0), None)

    latest = store.latest(CHAT, 2)

    seqs = [r.body["properties"]["seq"] for r in _sent(loopback, "POST", "/v1/objects")]
    assert seqs == sorted(seqs)
    assert [m.message_id for m in latest] == ["m3", "m9"]


def test_latest_sends_nothing_when_limit_is_not_positive(
    loopback: WeaviateLoopback, store: WeaviateMessageStore
) -> None:
    assert store.latest(CHAT, 0) == []
    assert loopback.grpc_calls == []


def test_similar_sends_near_vector_with_exactly_the_given_vector_the_chat_filter_and_k(
    loopback: WeaviateLoopback, store: WeaviateMessageStore
) -> None:
    store.add(_message(1), [0.0, 1.0, 0.0])
    store.add(_message(2), [1.0, 0.1, 0.0])
    store.add(_message(3), [1.0, 1.0, 0.0])
    query = [1.0, 0.0, 0.0]

    similar = store.similar(CHAT, query, 2)

    [search] = loopback.grpc_requests("Search")
    assert search.collection == "Messages"
    assert _equal(search.filters) == ("chat_key", CHAT)
    assert search.limit == 2
    assert search.metadata.distance
    assert list(search.near_vector.targets.target_vectors) == ["dim3"]
    assert [_floats(v.vector_bytes) for v in search.near_vector.vectors] == [query]
    assert [s.message.message_id for s in similar] == ["m2", "m3"]
    assert [s.score for s in similar] == pytest.approx([0.995037, 0.707107], abs=1e-5)


def test_similar_asks_nothing_when_no_message_has_an_embedding_of_the_query_dimension(
    loopback: WeaviateLoopback, store: WeaviateMessageStore
) -> None:
    store.add(_message(1), [1.0, 0.0, 0.0])

    similar = store.similar(CHAT, [1.0, 0.0], 5)

    assert similar == []
    assert loopback.grpc_requests("Search") == []


def test_count_aggregates_over_the_chat_and_the_role(loopback: WeaviateLoopback, store: WeaviateMessageStore) -> None:
    for n in range(3):
        store.add(_message(n), None)
    store.add(_message(0, role=Role.ASSISTANT), None)

    counts = (store.count(CHAT), store.count(CHAT, Role.USER))

    assert counts == (4, 3)
    everything, users = loopback.grpc_requests("Aggregate")
    assert everything.collection == "Messages"
    assert everything.objects_count
    assert _equal(everything.filters) == ("chat_key", CHAT)
    assert users.filters.operator == base_pb2.Filters.OPERATOR_AND
    assert [_equal(f) for f in users.filters.filters] == [("chat_key", CHAT), ("role", "user")]


def test_legacy_pair_creates_both_collections_with_the_legacy_properties(loopback: WeaviateLoopback) -> None:
    store = WeaviateMessageStore(_client(loopback), legacy_pair=True)

    store.ensure_schema()
    store.close()

    created = {r.body["class"]: r.body for r in _sent(loopback, "POST", "/v1/schema")}
    assert set(created) == {"UserMessages", "AssistantMessages"}
    for body in created.values():
        assert [p["name"] for p in body["properties"]] == ["chat_id", "timestamp", "message", "thread"]
        assert body["vectorizer"] == "none"


def test_legacy_pair_writes_to_the_collection_of_the_role_with_the_legacy_fields(
    loopback: WeaviateLoopback, legacy: WeaviateMessageStore
) -> None:
    legacy.add(StoredMessage(CHAT, "m1", Role.ASSISTANT, "hi", 1_700_000_000.0, thread_id="1699.1"), [1.0, 0.0])

    [insert] = _sent(loopback, "POST", "/v1/objects")
    assert insert.body["class"] == "AssistantMessages"
    assert insert.body["id"] == generate_uuid5((CHAT, "m1", "assistant"))
    assert insert.body["vector"] == [1.0, 0.0]
    assert insert.body["properties"] == {
        "chat_id": "C1",
        "timestamp": "2023-11-14T22:13:20.000000+00:00",
        "message": "hi",
        "thread": "1699.1",
    }


def test_legacy_pair_latest_queries_both_collections_and_puts_the_user_first_on_equal_timestamps(
    loopback: WeaviateLoopback, legacy: WeaviateMessageStore
) -> None:
    legacy.add(_message(1, role=Role.ASSISTANT, ts=1_700_000_010.0, text="answer"), None)
    legacy.add(_message(2, role=Role.USER, ts=1_700_000_010.0, text="question"), None)
    legacy.add(_message(3, role=Role.USER, ts=1_700_000_005.0, text="earlier"), None)

    latest = legacy.latest(CHAT, 2)

    searches = loopback.grpc_requests("Search")
    assert {s.collection for s in searches} == {"UserMessages", "AssistantMessages"}
    for search in searches:
        assert _equal(search.filters) == ("chat_id", "C1")
        assert [(s.path[0], s.ascending) for s in search.sort_by] == [("timestamp", False)]
        assert search.limit == 2
    assert [(m.role, m.text, m.ts) for m in latest] == [
        (Role.USER, "question", 1_700_000_010.0),
        (Role.ASSISTANT, "answer", 1_700_000_010.0),
    ]
    assert latest[0].chat_key == CHAT


def test_legacy_pair_similar_merges_both_collections_by_score(
    loopback: WeaviateLoopback, legacy: WeaviateMessageStore
) -> None:
    legacy.add(_message(1, role=Role.USER, text="far"), [0.0, 1.0])
    legacy.add(_message(2, role=Role.ASSISTANT, text="near"), [1.0, 0.1])
    legacy.add(_message(3, role=Role.USER, text="middle"), [1.0, 1.0])

    similar = legacy.similar(CHAT, [1.0, 0.0], 2)

    searches = loopback.grpc_requests("Search")
    assert {s.collection for s in searches} == {"UserMessages", "AssistantMessages"}
    assert all(not s.near_vector.targets.target_vectors and s.limit == 2 for s in searches)
    assert [(s.message.role, s.message.text) for s in similar] == [(Role.ASSISTANT, "near"), (Role.USER, "middle")]


def test_legacy_pair_count_of_one_role_asks_only_its_collection(
    loopback: WeaviateLoopback, legacy: WeaviateMessageStore
) -> None:
    legacy.add(_message(1, role=Role.USER), None)
    legacy.add(_message(2, role=Role.ASSISTANT), None)

    counts = (legacy.count(CHAT), legacy.count(CHAT, Role.ASSISTANT))

    assert counts == (2, 1)
    assert [r.collection for r in loopback.grpc_requests("Aggregate")][-1:] == ["AssistantMessages"]
    assert len(loopback.grpc_requests("Aggregate")) == 3


def test_close_closes_the_client(loopback: WeaviateLoopback) -> None:
    client = _client(loopback)

    with WeaviateMessageStore(client) as store:
        assert store.client.is_connected()

    assert not client.is_connected()


def test_connect_weaviate_store_sends_the_api_key_and_puts_the_schema_in_place(loopback: WeaviateLoopback) -> None:
    store = connect_weaviate_store(
        loopback.url,
        "secret-key",
        collection="Chats",
        dimensions=3,
        grpc_url=f"http://127.0.0.1:{loopback.grpc_port}",
        skip_init_checks=True,
    )

    store.add(_message(1), [1.0, 0.0, 0.0])
    count = store.count(CHAT)
    store.close()

    assert count == 1
    assert loopback.schema("Chats") is not None
    assert {r.headers.get("authorization") for r in loopback.requests} == {"Bearer secret-key"}


def test_connect_weaviate_store_rejects_a_url_without_scheme() -> None:
    with pytest.raises(ValueError, match="http"):
        connect_weaviate_store("weaviate.internal:8080")


def test_between_sends_the_chat_and_time_range_filters_oldest_first_and_the_limit(
    loopback: WeaviateLoopback, store: WeaviateMessageStore
) -> None:
    for n in (5, 1, 3, 2, 4):
        store.add(_message(n), None)

    found = store.between(CHAT, 1_700_000_002.0, 1_700_000_004.0, 10)

    [search] = loopback.grpc_requests("Search")
    assert search.filters.operator == base_pb2.Filters.OPERATOR_AND
    assert [(s.path[0], s.ascending) for s in search.sort_by] == [("ts", True), ("seq", True)]
    assert search.limit == 10
    assert [m.message_id for m in found] == ["m2", "m3", "m4"]


def test_legacy_pair_between_filters_both_collections_by_their_timestamp_dates(
    loopback: WeaviateLoopback, legacy: WeaviateMessageStore
) -> None:
    legacy.add(_message(1, role=Role.ASSISTANT, ts=1_700_000_003.0, text="answer"), None)
    legacy.add(_message(2, role=Role.USER, ts=1_700_000_002.0, text="question"), None)
    legacy.add(_message(3, role=Role.USER, ts=1_700_000_009.0, text="later"), None)

    found = legacy.between(CHAT, 1_700_000_001.0, 1_700_000_005.0, 5)

    assert {s.collection for s in loopback.grpc_requests("Search")} == {"UserMessages", "AssistantMessages"}
    assert [(m.role, m.text) for m in found] == [(Role.USER, "question"), (Role.ASSISTANT, "answer")]
