"""A loopback Weaviate for the real weaviate-client: REST and gRPC on 127.0.0.1, recording every request.

It answers only what `WeaviateMessageStore` asks (meta, readiness, schema, object insert/exists, the `Search`
and `Aggregate` RPCs, the gRPC health ping) from objects kept in memory, so tests can assert on the filters,
sort, limit and vector the client actually put on the wire. Filters support `Equal` and `And`; anything else
is answered UNIMPLEMENTED rather than guessed. A wire-level test double, not a Weaviate.

Not exported from `local.loopback`: importing it pulls in grpc and weaviate's generated stubs.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import operator
import struct
import threading
import uuid as uuid_lib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import grpc
from weaviate.proto.v1 import (
    aggregate_pb2,
    base_pb2,
    health_weaviate_pb2,
    properties_pb2,
    search_get_pb2,
    weaviate_pb2_grpc,
)

from office_assistant_local.standins.recorder import LOOPBACK, RecordedRequest, RecordingServer, Reply

if TYPE_CHECKING:
    from typing import Self

    from google.protobuf.message import Message

WEAVIATE_VERSION = "1.32.0"  # >= 1.29, so the client aggregates over gRPC as against current servers
_API = "/v1"

_Object = dict[str, Any]  # {"id", "properties", "vectors": {name: [float]}}


@dataclass(frozen=True)
class GrpcCall:
    """One gRPC request as the server saw it: the RPC's name (`Search`, `Aggregate`, `Health`) and its message."""

    method: str
    request: Message


_HNSW_DEFAULTS: dict[str, Any] = {
    "skip": False,
    "cleanupIntervalSeconds": 300,
    "maxConnections": 32,
    "efConstruction": 128,
    "ef": -1,
    "dynamicEfMin": 100,
    "dynamicEfMax": 500,
    "dynamicEfFactor": 8,
    "vectorCacheMaxObjects": 1_000_000_000_000,
    "flatSearchCutoff": 40000,
    "distance": "cosine",
    "filterStrategy": "sweeping",
    "pq": {
        "enabled": False,
        "bitCompression": False,
        "segments": 0,
        "centroids": 256,
        "trainingLimit": 100000,
        "encoder": {"type": "kmeans", "distribution": "log-normal"},
    },
    "bq": {"enabled": False},
    "sq": {"enabled": False, "trainingLimit": 100000, "rescoreLimit": 20},
    "multivector": {"enabled": False, "aggregation": "maxSim"},
}


def _hnsw(config: dict[str, Any] | None) -> dict[str, Any]:
    return {**copy.deepcopy(_HNSW_DEFAULTS), **(config or {})}


def _with_server_defaults(schema: dict[str, Any]) -> dict[str, Any]:
    """The class as a server returns it: the client's config parser expects the fields a server fills in."""
    cls = copy.deepcopy(schema)
    if "vectorizer" in cls:  # the legacy, unnamed vector
        cls.setdefault("vectorIndexType", "hnsw")
        cls["vectorIndexConfig"] = _hnsw(cls.get("vectorIndexConfig"))
    for vector in cls.get("vectorConfig", {}).values():
        vector.setdefault("vectorIndexType", "hnsw")
        vector["vectorIndexConfig"] = _hnsw(vector.get("vectorIndexConfig"))
    cls.setdefault(
        "invertedIndexConfig",
        {
            "bm25": {"b": 0.75, "k1": 1.2},
            "cleanupIntervalSeconds": 60,
            "stopwords": {"preset": "en", "additions": None, "removals": None},
        },
    )
    cls.setdefault("multiTenancyConfig", {"enabled": False, "autoTenantCreation": False, "autoTenantActivation": False})
    cls.setdefault(
        "replicationConfig", {"factor": 1, "asyncEnabled": False, "deletionStrategy": "NoAutomatedResolution"}
    )
    cls.setdefault(
        "shardingConfig",
        {
            "virtualPerPhysical": 128,
            "desiredCount": 1,
            "actualCount": 1,
            "desiredVirtualCount": 128,
            "actualVirtualCount": 128,
            "key": "_id",
            "strategy": "hash",
            "function": "murmur3",
        },
    )
    for prop in cls.get("properties", []):
        prop.setdefault("tokenization", "word" if prop["dataType"] == ["text"] else None)
        prop.setdefault("indexFilterable", True)
        prop.setdefault("indexSearchable", prop["dataType"] == ["text"])
        prop.setdefault("indexRangeFilters", False)
    return cls


def _error(status: int, message: str) -> Reply:
    return Reply(status, {"error": [{"message": message}]})


def _floats(raw: bytes) -> list[float]:
    return list(struct.unpack(f"<{len(raw) // 4}f", raw))


def _cosine_distance(a: list[float], b: list[float]) -> float:
    norms = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return 1.0 - (sum(x * y for x, y in zip(a, b, strict=True)) / norms if norms else 0.0)


class WeaviateLoopback(RecordingServer):
    """REST on `url` (recorded in `requests`), gRPC on `grpc_port` (recorded in `grpc_calls`)."""

    def __init__(self, version: str = WEAVIATE_VERSION) -> None:
        super().__init__()
        self.version = version
        self._state = threading.Lock()
        self._schemas: dict[str, dict[str, Any]] = {}
        self._objects: dict[str, dict[str, _Object]] = {}
        self._calls: list[GrpcCall] = []
        self._grpc: grpc.Server | None = None
        self.grpc_port = 0

    # --- lifecycle ----------------------------------------------------------------------------------------------

    def start(self) -> Self:
        if self._grpc is None:
            server = grpc.server(ThreadPoolExecutor(max_workers=4, thread_name_prefix="WeaviateLoopbackGrpc"))
            weaviate_pb2_grpc.add_WeaviateServicer_to_server(_Servicer(self), server)  # type: ignore[no-untyped-call]
            health = grpc.unary_unary_rpc_method_handler(
                self._health,
                request_deserializer=health_weaviate_pb2.WeaviateHealthCheckRequest.FromString,
                response_serializer=health_weaviate_pb2.WeaviateHealthCheckResponse.SerializeToString,
            )
            server.add_generic_rpc_handlers(
                (grpc.method_handlers_generic_handler("grpc.health.v1.Health", {"Check": health}),)
            )
            self.grpc_port = server.add_insecure_port(f"{LOOPBACK}:0")
            server.start()
            self._grpc = server
        return super().start()

    def stop(self) -> None:
        super().stop()
        if self._grpc is not None:
            self._grpc.stop(grace=None).wait(5)
            self._grpc = None

    @property
    def http_port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    # --- what tests read ----------------------------------------------------------------------------------------

    @property
    def grpc_calls(self) -> list[GrpcCall]:
        with self._state:
            return list(self._calls)

    def clear(self) -> None:
        """Forget the recorded REST requests and gRPC calls; stored objects and schemas stay."""
        super().clear()
        with self._state:
            self._calls.clear()

    def grpc_requests(self, method: str) -> list[Any]:
        """The request messages of one RPC, oldest first."""
        return [call.request for call in self.grpc_calls if call.method == method]

    def stored(self, collection: str) -> dict[str, _Object]:
        """The objects of a collection by id, as inserted."""
        with self._state:
            return copy.deepcopy(self._objects.get(collection, {}))

    def schema(self, collection: str) -> dict[str, Any] | None:
        with self._state:
            return copy.deepcopy(self._schemas.get(collection))

    # --- REST -----------------------------------------------------------------------------------------------

    def handle(self, request: RecordedRequest) -> Reply:
        parts = request.path.removeprefix(_API).strip("/").split("/")
        route = (request.method, parts[0], len(parts))
        if route == ("GET", "meta", 1):
            return Reply(200, {"hostname": self.url, "version": self.version, "modules": {}})
        if request.method == "GET" and parts == [".well-known", "ready"]:
            return Reply(200, {})
        if parts[0] == "schema":
            return self._schema_request(request.method, parts[1] if len(parts) > 1 else None, request.body)
        if route == ("POST", "objects", 1):
            return self._insert(request.body)
        if route in {("HEAD", "objects", 3), ("GET", "objects", 3)}:
            with self._state:
                found = self._objects.get(parts[1], {}).get(parts[2])
            if found is None:
                return _error(404, "not found")
            return Reply(204, None) if request.method == "HEAD" else Reply(200, found)
        return _error(404, f"the Weaviate loopback does not serve {request.method} {request.path}")

    def _schema_request(self, method: str, name: str | None, body: Any) -> Reply:
        with self._state:
            if method == "POST" and name is None:
                if body["class"] in self._schemas:
                    return _error(422, f"class name {body['class']!r} already exists")
                self._schemas[body["class"]] = _with_server_defaults(body)
                self._objects[body["class"]] = {}
                return Reply(200, self._schemas[body["class"]])
            if name is None:
                return Reply(200, {"classes": list(self._schemas.values())})
            if name not in self._schemas:
                return _error(404, f"class {name!r} not found")
            if method == "GET":
                return Reply(200, self._schemas[name])
            if method == "PUT":
                self._schemas[name] = _with_server_defaults(body)
                return Reply(200, self._schemas[name])
            if method == "DELETE":
                del self._schemas[name]
                del self._objects[name]
                return Reply(200, None)
        return _error(405, f"{method} /schema/{name} is not served")

    def _insert(self, body: dict[str, Any]) -> Reply:
        collection, object_id = body["class"], body["id"]
        vectors = dict(body.get("vectors") or {})
        if body.get("vector") is not None:
            vectors["default"] = body["vector"]
        with self._state:
            if collection not in self._schemas:
                return _error(422, f"class {collection!r} not found")
            if object_id in self._objects[collection]:
                return _error(422, f"id '{object_id}' already exists")
            declared = self._schemas[collection].get("vectorConfig") or {}
            unknown = set(vectors) - set(declared) - ({"default"} if not declared else set())
            if unknown:
                return _error(422, f"target vectors {sorted(unknown)} are not configured")
            self._objects[collection][object_id] = {
                "id": object_id,
                "properties": body.get("properties") or {},
                "vectors": vectors,
            }
        return Reply(200, body)

    # --- gRPC -----------------------------------------------------------------------------------------------

    def _record(self, method: str, request: Message) -> None:
        with self._state:
            self._calls.append(GrpcCall(method, request))

    def _health(self, request: Message, context: grpc.ServicerContext) -> Message:
        self._record("Health", request)
        return health_weaviate_pb2.WeaviateHealthCheckResponse(
            status=health_weaviate_pb2.WeaviateHealthCheckResponse.SERVING
        )

    def _matching(self, collection: str, filters: base_pb2.Filters | None) -> list[_Object]:
        with self._state:
            objects = copy.deepcopy(list(self._objects.get(collection, {}).values()))
        return [obj for obj in objects if filters is None or _matches(filters, obj["properties"])]

    def search(self, request: search_get_pb2.SearchRequest) -> search_get_pb2.SearchReply:
        self._record("Search", request)
        objects = self._matching(request.collection, request.filters if request.HasField("filters") else None)
        distances: dict[str, float] = {}
        if request.HasField("near_vector"):
            target, query = _near_vector(request.near_vector)
            objects = [obj for obj in objects if len(obj["vectors"].get(target, ())) == len(query)]
            distances = {obj["id"]: _cosine_distance(obj["vectors"][target], query) for obj in objects}
            objects.sort(key=lambda obj: distances[obj["id"]])
        with self._state:
            types = {p["name"]: p["dataType"][0] for p in self._schemas[request.collection]["properties"]}
        for sort in reversed(request.sort_by):  # stable sorts, least significant key first
            path: str = sort.path[0]

            def key(obj: _Object, path: str = path) -> Any:
                value = obj["properties"][path]
                return dt.datetime.fromisoformat(value) if types[path] == "date" else value

            objects.sort(key=key, reverse=not sort.ascending)
        if request.limit:
            objects = objects[: request.limit]
        return search_get_pb2.SearchReply(
            results=[_result(request.collection, obj, types, distances.get(obj["id"])) for obj in objects]
        )

    def aggregate(self, request: aggregate_pb2.AggregateRequest) -> aggregate_pb2.AggregateReply:
        self._record("Aggregate", request)
        objects = self._matching(request.collection, request.filters if request.HasField("filters") else None)
        return aggregate_pb2.AggregateReply(
            single_result=aggregate_pb2.AggregateReply.Single(objects_count=len(objects))
        )


class _Servicer(weaviate_pb2_grpc.WeaviateServicer):
    def __init__(self, owner: WeaviateLoopback) -> None:
        self.owner = owner

    def Search(self, request: Any, context: grpc.ServicerContext) -> Any:  # noqa: N802 (generated name)
        try:
            return self.owner.search(request)
        except _UnsupportedError as exc:
            context.abort(grpc.StatusCode.UNIMPLEMENTED, str(exc))

    def Aggregate(self, request: Any, context: grpc.ServicerContext) -> Any:  # noqa: N802 (generated name)
        try:
            return self.owner.aggregate(request)
        except _UnsupportedError as exc:
            context.abort(grpc.StatusCode.UNIMPLEMENTED, str(exc))


class _UnsupportedError(Exception):
    """A request shape the loopback does not evaluate."""


def _matches(filters: base_pb2.Filters, properties: dict[str, Any]) -> bool:
    if filters.operator == base_pb2.Filters.OPERATOR_AND:
        return all(_matches(inner, properties) for inner in filters.filters)
    compare = _COMPARISONS.get(filters.operator)
    if compare is None:
        raise _UnsupportedError(f"filter operator {base_pb2.Filters.Operator.Name(filters.operator)}")
    name = filters.target.property if filters.HasField("target") else filters.on[0]
    value_field = filters.WhichOneof("test_value")
    if value_field not in {"value_text", "value_int", "value_number", "value_boolean"}:
        raise _UnsupportedError(f"filter value {value_field}")
    actual, wanted = properties.get(name), getattr(filters, value_field)
    if filters.operator == base_pb2.Filters.OPERATOR_EQUAL:
        return bool(actual == wanted)
    if actual is None:
        return False
    if isinstance(actual, str) and isinstance(wanted, str):  # dates travel as RFC 3339 text
        return bool(compare(dt.datetime.fromisoformat(actual), dt.datetime.fromisoformat(wanted)))
    return bool(compare(actual, wanted))


_COMPARISONS: dict[int, Any] = {
    base_pb2.Filters.OPERATOR_EQUAL: operator.eq,
    base_pb2.Filters.OPERATOR_GREATER_THAN_EQUAL: operator.ge,
    base_pb2.Filters.OPERATOR_LESS_THAN_EQUAL: operator.le,
    base_pb2.Filters.OPERATOR_GREATER_THAN: operator.gt,
    base_pb2.Filters.OPERATOR_LESS_THAN: operator.lt,
}


def _near_vector(near: Any) -> tuple[str, list[float]]:
    """(target vector name, query vector) of a NearVector, whichever of its encodings the client used."""
    targets = list(near.targets.target_vectors) or list(near.target_vectors)
    if len(near.vectors) == 1:
        return (near.vectors[0].name or (targets[0] if targets else "default")), _floats(near.vectors[0].vector_bytes)
    if near.vector_bytes:
        return (targets[0] if targets else "default"), _floats(near.vector_bytes)
    raise _UnsupportedError("near_vector without exactly one vector")


def _value(data_type: str, value: Any) -> Any:
    if value is None:
        return properties_pb2.Value(null_value=0)
    if data_type == "number":
        return properties_pb2.Value(number_value=float(value))
    if data_type == "int":
        return properties_pb2.Value(int_value=int(value))
    if data_type == "date":
        return properties_pb2.Value(date_value=str(value))
    return properties_pb2.Value(text_value=str(value))


def _result(collection: str, obj: _Object, types: dict[str, str], distance: float | None) -> Any:
    fields = {name: _value(types.get(name, "text"), value) for name, value in obj["properties"].items()}
    metadata = search_get_pb2.MetadataResult(id_as_bytes=uuid_lib.UUID(obj["id"]).bytes)
    if distance is not None:
        metadata.distance, metadata.distance_present = distance, True
    return search_get_pb2.SearchResult(
        properties=search_get_pb2.PropertiesResult(
            target_collection=collection, non_ref_props=properties_pb2.Properties(fields=fields)
        ),
        metadata=metadata,
    )
