"""The production message store: Weaviate (weaviate-client v4), one collection, our own embeddings.

Schema. One collection (default ``Messages``) with a ``role`` property instead of the legacy
``UserMessages``/``AssistantMessages`` pair: "the chat's latest N" is then one sorted query instead of two
merged ones, a tie between a user and an assistant message at the same timestamp is decided by the store
(insertion order) rather than by a merge rule, and counting a chat is one aggregate. Properties:

- ``chat_key``, ``message_id``, ``role``, ``thread_id``: text with ``field`` tokenization, so ``Equal`` matches
  the whole value (word tokenization would let ``slack:C1`` match ``slack:C1-other``); not searchable.
- ``text``: text, searchable (BM25 stays possible), ``user_name``: text.
- ``ts``: number, Unix seconds as the platform gave them (a ``date`` would cost a conversion each way and
  Weaviate dates keep only microseconds, while a float round-trips exactly).
- ``seq``: int, ``time.time_ns()`` at write time: the second sort key, so equal timestamps keep insertion order.

Vectors are self-provided (vectorizer ``none``, HNSW with cosine distance): Route has already embedded the
message, and the store must not embed it a second time. Each embedding dimension gets its own named vector
(``dim384``, ``dim1536``...), because one vector index holds one dimension: after a change of embedder, old
messages stay readable and simply drop out of similarity search, as the port asks. A new dimension is added to
the collection on first use (``config.add_vector``, Weaviate >= 1.31).

Similarity is ``near_vector``, not ``hybrid``: hybrid needs either a server-side vectorizer or our query vector
plus a BM25 leg, and the legacy ``alpha=0.9`` gave the keyword leg a tenth of the weight for a second search per
query. We already hold the query vector, and ``1 - distance`` of a cosine index is exactly the cosine
similarity the port promises, which a fused hybrid score is not.

Legacy layout (``legacy_pair=True``): reads and writes the old pair, role implied by the collection, properties
``chat_id`` (the chat key without its ``platform:`` prefix), ``timestamp`` (ISO date), ``message``, ``thread``
and a single unnamed vector. Those objects carry no message id or user name: a legacy message reads back with
its object UUID as ``message_id`` and an empty ``user_name``, and equal timestamps put the user first (the old
merge rule), as there is no insertion sequence to sort by.

Idempotent writes: the object UUID is ``generate_uuid5((chat_key, message_id, role))``, and a plain insert of an
existing UUID fails in Weaviate, so a retried write never duplicates nor overwrites the first copy.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

import weaviate
from weaviate.classes.config import Configure, VectorDistances
from weaviate.classes.query import Filter, MetadataQuery, Sort
from weaviate.exceptions import UnexpectedStatusCodeError, WeaviateInvalidInputError
from weaviate.util import generate_uuid5

from office_assistant.domain.messages import Role, ScoredMessage, StoredMessage

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import TracebackType
    from typing import Self

    from weaviate import WeaviateClient
    from weaviate.collections.classes.filters import _Filters
    from weaviate.collections.classes.grpc import _Sorting
    from weaviate.collections.classes.internal import Object

logger = logging.getLogger(__name__)

DEFAULT_COLLECTION = "Messages"
LEGACY_COLLECTIONS = {Role.USER: "UserMessages", Role.ASSISTANT: "AssistantMessages"}

_HNSW_COSINE = Configure.VectorIndex.hnsw(distance_metric=VectorDistances.COSINE)
_HNSW_INDEX = {"vectorIndexType": "hnsw", "vectorIndexConfig": {"distance": "cosine"}}
_SELF_PROVIDED_COSINE = {"vectorizer": {"none": {}}, **_HNSW_INDEX}


def _key(name: str) -> dict[str, Any]:
    """A text property matched whole by `Equal` and never searched by BM25."""
    return {"name": name, "dataType": ["text"], "tokenization": "field", "indexSearchable": False}


def _vector_name(dimensions: int) -> str:
    return f"dim{dimensions}"


def _self_provided(dimensions: int) -> Any:
    return Configure.Vectors.self_provided(name=_vector_name(dimensions), vector_index_config=_HNSW_COSINE)


class _Layout(Protocol):
    """Where messages live and how a message maps to an object: the one difference between the two schemas."""

    def collections(self, role: Role | None) -> dict[str, Role | None]:
        """Collections to read for `role` (None: all), each with the role it implies (None: a property says)."""

    def collection_for(self, role: Role) -> str: ...

    def schema(self, name: str, dimensions: int | None) -> dict[str, Any]:
        """Collection `name` as Weaviate's REST schema API takes it (`collections.create_from_dict`)."""

    def properties(self, message: StoredMessage) -> dict[str, Any]: ...

    def message(self, obj: Object[Any, Any], chat_key: str, role: Role | None) -> StoredMessage: ...

    def chat_filter(self, chat_key: str, role: Role | None) -> _Filters: ...

    def newest_first(self) -> _Sorting: ...

    def oldest_first(self) -> _Sorting: ...

    def time_filter(self, start_ts: float, end_ts: float) -> _Filters: ...


class _RoleProperty:
    """One collection; the role is a property."""

    def __init__(self, name: str) -> None:
        self.name = name

    def collections(self, role: Role | None) -> dict[str, Role | None]:
        return {self.name: None}

    def collection_for(self, role: Role) -> str:
        return self.name

    def schema(self, name: str, dimensions: int | None) -> dict[str, Any]:
        if dimensions is None:
            raise ValueError(f"creating collection {name!r} needs the embedder's dimensions")
        properties = [
            _key("chat_key"),
            _key("message_id"),
            _key("role"),
            {"name": "text", "dataType": ["text"]},
            {"name": "ts", "dataType": ["number"]},
            {"name": "seq", "dataType": ["int"]},
            {"name": "user_name", "dataType": ["text"], "indexSearchable": False},
            _key("thread_id"),
        ]
        return {
            "class": name,
            "properties": properties,
            "vectorConfig": {_vector_name(dimensions): _SELF_PROVIDED_COSINE},
        }

    def properties(self, message: StoredMessage) -> dict[str, Any]:
        properties = {
            "chat_key": message.chat_key,
            "message_id": message.message_id,
            "role": message.role.value,
            "text": message.text,
            "ts": message.ts,
            "seq": time.time_ns(),
            "user_name": message.user_name,
            "thread_id": message.thread_id,
        }
        return {name: value for name, value in properties.items() if value is not None}

    def message(self, obj: Object[Any, Any], chat_key: str, role: Role | None) -> StoredMessage:
        props = obj.properties
        return StoredMessage(
            chat_key=str(props["chat_key"]),
            message_id=str(props["message_id"]),
            role=Role(props["role"]),
            text=str(props.get("text") or ""),
            ts=float(props["ts"]),
            user_name=str(props.get("user_name") or ""),
            thread_id=props.get("thread_id") or None,
        )

    def chat_filter(self, chat_key: str, role: Role | None) -> _Filters:
        chat = Filter.by_property("chat_key").equal(chat_key)
        return chat if role is None else chat & Filter.by_property("role").equal(role.value)

    def newest_first(self) -> _Sorting:
        return Sort.by_property("ts", ascending=False).by_property("seq", ascending=False)

    def oldest_first(self) -> _Sorting:
        return Sort.by_property("ts", ascending=True).by_property("seq", ascending=True)

    def time_filter(self, start_ts: float, end_ts: float) -> _Filters:
        ts = Filter.by_property("ts")
        return ts.greater_or_equal(start_ts) & ts.less_or_equal(end_ts)


def _legacy_chat_id(chat_key: str) -> str:
    return chat_key.partition(":")[2] or chat_key


class _LegacyPair:
    """The old `UserMessages`/`AssistantMessages` pair; the role is implied by the collection."""

    def __init__(self, names: dict[Role, str]) -> None:
        self.names = names

    def collections(self, role: Role | None) -> dict[str, Role | None]:
        roles = list(Role) if role is None else [role]
        return {self.names[r]: r for r in roles}

    def collection_for(self, role: Role) -> str:
        return self.names[role]

    def schema(self, name: str, dimensions: int | None) -> dict[str, Any]:
        """The old shape: one unnamed vector, as the legacy collections have, not a named one."""
        properties = [
            _key("chat_id"),
            {"name": "timestamp", "dataType": ["date"]},
            {"name": "message", "dataType": ["text"]},
            _key("thread"),
        ]
        return {"class": name, "properties": properties, "vectorizer": "none", **_HNSW_INDEX}

    def properties(self, message: StoredMessage) -> dict[str, Any]:
        properties = {
            "chat_id": _legacy_chat_id(message.chat_key),
            "timestamp": dt.datetime.fromtimestamp(message.ts, tz=dt.UTC),
            "message": message.text,
            "thread": message.thread_id,
        }
        return {name: value for name, value in properties.items() if value is not None}

    def message(self, obj: Object[Any, Any], chat_key: str, role: Role | None) -> StoredMessage:
        props = obj.properties
        timestamp = props["timestamp"]
        if not isinstance(timestamp, dt.datetime):
            raise TypeError(f"legacy timestamp must be a date, got {type(timestamp).__name__}")
        return StoredMessage(
            chat_key=chat_key,
            message_id=str(obj.uuid),
            role=self._role(role),
            text=str(props.get("message") or ""),
            ts=timestamp.timestamp(),
            thread_id=props.get("thread") or None,
        )

    @staticmethod
    def _role(role: Role | None) -> Role:
        if role is None:
            raise ValueError("a legacy collection always implies its role")
        return role

    def chat_filter(self, chat_key: str, role: Role | None) -> _Filters:
        """The chat only: the collection already selects the role."""
        return Filter.by_property("chat_id").equal(_legacy_chat_id(chat_key))

    def newest_first(self) -> _Sorting:
        return Sort.by_property("timestamp", ascending=False)

    def oldest_first(self) -> _Sorting:
        return Sort.by_property("timestamp", ascending=True)

    def time_filter(self, start_ts: float, end_ts: float) -> _Filters:
        timestamp = Filter.by_property("timestamp")
        start, end = (dt.datetime.fromtimestamp(t, tz=dt.UTC) for t in (start_ts, end_ts))
        return timestamp.greater_or_equal(start) & timestamp.less_or_equal(end)


class WeaviateMessageStore:
    """MessageStore on Weaviate; see the module docstring for the schema and why.

    Takes a connected client (one per warm container, built by `connect_weaviate_store` or a test) and owns it:
    `close()` closes it. The weaviate client is thread-safe, so Parallel branches share it; no pool.

    Parameters
    ----------
    client:
        A connected `WeaviateClient`.
    collection:
        The collection of the one-collection layout (ignored with `legacy_pair`).
    dimensions:
        The embedder's dimension: `ensure_schema` creates its named vector up front; others are added on use.
    legacy_pair:
        Read and write the old `UserMessages`/`AssistantMessages` pair instead.
    """

    def __init__(
        self,
        client: WeaviateClient,
        collection: str = DEFAULT_COLLECTION,
        *,
        dimensions: int | None = None,
        legacy_pair: bool = False,
    ) -> None:
        self.client = client
        self.dimensions = dimensions
        self.legacy_pair = legacy_pair
        self._layout: _Layout = _LegacyPair(LEGACY_COLLECTIONS) if legacy_pair else _RoleProperty(collection)
        self._lock = threading.Lock()
        self._vector_names: set[str] | None = None  # named vectors the collection has (one-collection layout)

    # --- lifecycle ----------------------------------------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Create the collection(s) when missing (which needs `dimensions`); existing ones are left as they are."""
        for name in self._layout.collections(None):
            if self.client.collections.exists(name):
                continue
            schema = self._layout.schema(name, self.dimensions)
            try:
                self.client.collections.create_from_dict(schema)
            except UnexpectedStatusCodeError as exc:  # another container created it first
                if exc.status_code != 422 or not self.client.collections.exists(name):
                    raise
                continue
            if not self.legacy_pair:
                with self._lock:
                    self._vector_names = set(schema["vectorConfig"])

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- the port -----------------------------------------------------------------------------------------------

    def add(self, message: StoredMessage, embedding: Sequence[float] | None) -> None:
        """Store a message; the first copy of a (chat_key, message_id, role) wins, later ones are ignored."""
        if embedding is not None and len(embedding) == 0:
            raise ValueError("an embedding must be a non-empty 1-D sequence")
        collection = self.client.collections.use(self._layout.collection_for(message.role))
        uuid = generate_uuid5((message.chat_key, message.message_id, message.role.value))
        vector: Any = None
        if embedding is not None:
            values = [float(x) for x in embedding]
            vector = values if self.legacy_pair else {self._ensure_vector(len(values)): values}
        try:
            collection.data.insert(self._layout.properties(message), uuid=uuid, vector=vector)
        except UnexpectedStatusCodeError as exc:
            # Weaviate answers 422 to an insert of an existing id: a retried write, whose first copy stays.
            if exc.status_code != 422 or not collection.data.exists(uuid):
                raise
            logger.debug("message already stored", extra={"uuid": uuid})

    def latest(self, chat_key: str, limit: int) -> list[StoredMessage]:
        """The chat's newest `limit` messages, oldest first; equal timestamps keep their insertion order."""
        if limit <= 0:
            return []
        newest: list[tuple[float, int, int, StoredMessage]] = []
        for name, role in self._layout.collections(None).items():
            result = self.client.collections.use(name).query.fetch_objects(
                filters=self._layout.chat_filter(chat_key, role), sort=self._layout.newest_first(), limit=limit
            )
            # within a collection the server's order decides ties; across the legacy pair the user comes first
            pair_rank = 0 if role is None else list(Role).index(role)
            for position, obj in enumerate(result.objects):
                message = self._layout.message(obj, chat_key, role)
                newest.append((message.ts, pair_rank, -position, message))
        newest.sort(key=lambda item: item[:3], reverse=True)
        return [item[3] for item in reversed(newest[:limit])]

    def between(self, chat_key: str, start_ts: float, end_ts: float, limit: int) -> list[StoredMessage]:
        """The chat's messages from `start_ts` to `end_ts` (inclusive), oldest first, at most `limit`."""
        if limit <= 0 or end_ts < start_ts:
            return []
        found: list[tuple[float, int, int, StoredMessage]] = []
        for name, role in self._layout.collections(None).items():
            result = self.client.collections.use(name).query.fetch_objects(
                filters=self._layout.chat_filter(chat_key, role) & self._layout.time_filter(start_ts, end_ts),
                sort=self._layout.oldest_first(),
                limit=limit,
            )
            pair_rank = 0 if role is None else list(Role).index(role)
            for position, obj in enumerate(result.objects):
                message = self._layout.message(obj, chat_key, role)
                found.append((message.ts, pair_rank, position, message))
        found.sort(key=lambda item: item[:3])
        return [item[3] for item in found[:limit]]

    def similar(self, chat_key: str, embedding: Sequence[float], k: int) -> list[ScoredMessage]:
        """The chat's `k` messages closest to `embedding` by cosine (`1 - distance`), best first.

        Equal scores put the newer message first (ties at the k-th place are the server's choice).
        """
        if k <= 0:
            return []
        query = [float(x) for x in embedding]
        target = None if self.legacy_pair else _vector_name(len(query))
        if target is not None and not self._has_vector(target):
            return []  # no message was ever stored with an embedding of this dimension
        scored: list[ScoredMessage] = []
        for name, role in self._layout.collections(None).items():
            result = self.client.collections.use(name).query.near_vector(
                near_vector=query,
                target_vector=target,
                limit=k,
                filters=self._layout.chat_filter(chat_key, role),
                return_metadata=MetadataQuery(distance=True),
            )
            for obj in result.objects:
                distance = obj.metadata.distance
                if distance is None:
                    raise ValueError("Weaviate returned a near_vector result without a distance")
                scored.append(ScoredMessage(self._layout.message(obj, chat_key, role), 1.0 - distance))
        scored.sort(key=lambda s: (s.score, s.message.ts), reverse=True)
        return scored[:k]

    def count(self, chat_key: str, role: Role | None = None) -> int:
        total = 0
        for name in self._layout.collections(role):
            result = self.client.collections.use(name).aggregate.over_all(
                filters=self._layout.chat_filter(chat_key, role), total_count=True
            )
            total += result.total_count or 0
        return total

    # --- named vectors (one-collection layout) ------------------------------------------------------------------

    def _known_vectors(self, refresh: bool = False) -> set[str]:
        with self._lock:
            if self._vector_names is None or refresh:
                config = self.client.collections.use(self._layout.collection_for(Role.USER)).config.get(simple=True)
                self._vector_names = set(config.vector_config or {})
            return self._vector_names

    def _has_vector(self, name: str) -> bool:
        return name in self._known_vectors() or name in self._known_vectors(refresh=True)

    def _ensure_vector(self, dimensions: int) -> str:
        """The named vector for `dimensions`, added to the collection the first time such an embedding arrives."""
        name = _vector_name(dimensions)
        if self._has_vector(name):
            return name
        collection = self.client.collections.use(self._layout.collection_for(Role.USER))
        try:
            collection.config.add_vector(vector_config=_self_provided(dimensions))
        except (UnexpectedStatusCodeError, WeaviateInvalidInputError):
            if name not in self._known_vectors(refresh=True):  # not added by another container meanwhile
                raise
            return name
        with self._lock:
            if self._vector_names is not None:
                self._vector_names.add(name)
        return name


def connect_weaviate_store(
    url: str,
    api_key: str | None = None,
    *,
    collection: str = DEFAULT_COLLECTION,
    dimensions: int | None = None,
    legacy_pair: bool = False,
    grpc_url: str | None = None,
    headers: dict[str, str] | None = None,
    skip_init_checks: bool = False,
) -> WeaviateMessageStore:
    """Connect to Weaviate at `url` and return a store with its schema in place.

    A Weaviate Cloud host (``*.weaviate.cloud``/``*.weaviate.network``) goes through `connect_to_weaviate_cloud`,
    which knows its gRPC endpoint. Elsewhere gRPC is `grpc_url` when given, else the REST host on port 50051,
    secure when REST is. `skip_init_checks` skips the gRPC health ping and the client's PyPI version check.
    """
    rest = urlsplit(url)
    if rest.scheme not in {"http", "https"} or not rest.hostname:
        raise ValueError(f"a Weaviate url needs an http(s) scheme and a host, got {url!r}")
    secure = rest.scheme == "https"
    if rest.hostname.endswith((".weaviate.cloud", ".weaviate.network")):
        if not api_key:
            raise ValueError("Weaviate Cloud needs an API key")
        client = weaviate.connect_to_weaviate_cloud(
            cluster_url=url, auth_credentials=api_key, headers=headers, skip_init_checks=skip_init_checks
        )
    else:
        grpc = urlsplit(grpc_url) if grpc_url else None
        client = weaviate.connect_to_custom(
            http_host=rest.hostname,
            http_port=rest.port or (443 if secure else 80),
            http_secure=secure,
            grpc_host=(grpc.hostname if grpc and grpc.hostname else rest.hostname),
            grpc_port=(grpc.port if grpc and grpc.port else 50051),
            grpc_secure=(grpc.scheme in {"https", "grpcs"} if grpc else secure),
            headers=headers,
            auth_credentials=api_key or None,
            skip_init_checks=skip_init_checks,
        )
    store = WeaviateMessageStore(client, collection, dimensions=dimensions, legacy_pair=legacy_pair)
    try:
        store.ensure_schema()
    except Exception:
        store.close()
        raise
    return store
