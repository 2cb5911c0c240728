"""In-process Lambda invoke with the real envelope, so the workflow sees results and errors as AWS Lambda shows them."""

from __future__ import annotations

import io
import json
import logging
import threading
import traceback
import uuid
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any

from botocore.exceptions import ClientError
from botocore.response import StreamingBody

from office_assistant.workflow.limits import LAMBDA_REQUEST_QUOTA_BYTES, LAMBDA_RESPONSE_QUOTA_BYTES
from office_assistant_local.engine.lambda_context import LocalLambdaContext, task_timeout_s

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping
    from typing import TypeAlias

    Handler: TypeAlias = Callable[[Any, Any], Any]

logger = logging.getLogger(__name__)

DEFAULT_ACCOUNT = "123456789012"
_ARN_MARKER = ":function:"


def function_name(name_or_arn: str) -> str:
    """The bare name from `NAME`, `NAME:QUALIFIER`, `ACCOUNT:function:NAME[:QUALIFIER]` or a full function ARN."""
    if _ARN_MARKER in name_or_arn:
        name_or_arn = name_or_arn.split(_ARN_MARKER, 1)[1]
    return name_or_arn.split(":", 1)[0]


class HandlerRegistry:
    """The process-wide map from function name to handler that every in-process invoke reads.

    moto evaluates a workflow on its own threads, which do not carry contextvars, so the handlers of a run
    cannot travel with it: a run registers its whole map here for as long as it is live. The rule:

    - runs whose maps agree (each shared name bound to an equal callable) are live together, concurrently;
    - a run whose map binds a name to a different callable than a live run does waits, without registering
      anything, until no live run holds a conflicting binding; then it registers its whole map at once;
    - a name stays registered while any live run holds it, so a workflow can reach a function that another
      live run registered; a name that no live run holds is unknown (`ResourceNotFoundException`).
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._handlers: dict[str, Handler] = {}
        self._holders: dict[str, int] = {}

    def _conflicts(self, handlers: Mapping[str, Handler]) -> bool:
        return any(name in self._handlers and self._handlers[name] != handler for name, handler in handlers.items())

    @contextmanager
    def registered(self, handlers: Mapping[str, Handler], timeout_s: float | None = None) -> Iterator[None]:
        """Hold `handlers` for the duration of the block; waits (up to `timeout_s`) while a live run conflicts."""
        with self._changed:
            if not self._changed.wait_for(lambda: not self._conflicts(handlers), timeout=timeout_s):
                names = sorted(name for name in handlers if name in self._handlers)
                raise TimeoutError(f"handlers for {names} stayed bound to other callables by live runs")
            for name, handler in handlers.items():
                self._handlers[name] = handler
                self._holders[name] = self._holders.get(name, 0) + 1
        try:
            yield
        finally:
            with self._changed:
                for name in handlers:
                    self._holders[name] -= 1
                    if not self._holders[name]:
                        del self._holders[name], self._handlers[name]
                self._changed.notify_all()

    def get(self, name: str) -> Handler | None:
        with self._changed:
            return self._handlers.get(name)


REGISTRY = HandlerRegistry()


def _request_bytes(payload: bytes | str | IO[bytes] | None) -> bytes:
    if payload is None:
        return b""
    raw = payload if isinstance(payload, bytes | str) else payload.read()
    return raw.encode("utf-8") if isinstance(raw, str) else raw


def _decode_event(raw: bytes) -> Any:
    text = raw.decode("utf-8")
    return json.loads(text) if text.strip() else {}


def _response_metadata(request_id: str, status: int) -> dict[str, Any]:
    return {"RequestId": request_id, "HTTPStatusCode": status, "HTTPHeaders": {}, "RetryAttempts": 0}


def _client_error(code: str, message: str, status: int, request_id: str) -> ClientError:
    return ClientError(
        {
            "Error": {"Code": code, "Message": message},
            "Message": message,
            "Type": "User",
            "ResponseMetadata": _response_metadata(request_id, status),
        },
        "Invoke",
    )


def _body(data: bytes) -> StreamingBody:
    return StreamingBody(io.BytesIO(data), len(data))


class InProcessLambdaClient:
    """The one method of a boto3 Lambda client that the interpreter calls, answered by a registered handler."""

    def __init__(self, registry: HandlerRegistry = REGISTRY, region: str = "us-east-1") -> None:
        self.registry = registry
        self.region = region

    def _arn(self, name_or_arn: str) -> str:
        if name_or_arn.startswith("arn:"):
            return name_or_arn
        return f"arn:aws:lambda:{self.region}:{DEFAULT_ACCOUNT}:function:{name_or_arn}"

    def invoke(self, *, FunctionName: str, Payload: bytes | str | IO[bytes] | None = None, **_: Any) -> dict[str, Any]:
        """What `boto3.client("lambda").invoke` returns: the payload stream, and `FunctionError` if the handler raised.

        An unknown function raises the `ClientError` botocore would raise (`ResourceNotFoundException`); a payload
        that is not JSON raises `InvalidRequestContentException`, one over Lambda's 6 MB request quota
        `RequestEntityTooLargeException`. A result that is not JSON-serialisable comes back as the Python runtime
        reports it (`FunctionError`, `errorType` `Runtime.MarshalError`), one over the 6 MB response quota as
        Lambda reports it (`errorType` `Function.ResponseSizeTooLarge`). The handler's context counts down from
        the invoking Task state's TimeoutSeconds, as the deployed function's timeout does (infra sets it so).
        """
        request_id = str(uuid.uuid4())
        name = function_name(FunctionName)
        handler = self.registry.get(name)
        if handler is None:
            raise _client_error(
                "ResourceNotFoundException", f"Function not found: {self._arn(FunctionName)}", 404, request_id
            )
        raw = _request_bytes(Payload)
        if len(raw) > LAMBDA_REQUEST_QUOTA_BYTES:
            raise _client_error(
                "RequestEntityTooLargeException",
                f"Request must be smaller than {LAMBDA_REQUEST_QUOTA_BYTES} bytes for the InvokeFunction operation",
                413,
                request_id,
            )
        try:
            event = _decode_event(raw)
        except ValueError as exc:
            raise _client_error(
                "InvalidRequestContentException", f"Could not parse request body into json: {exc}", 400, request_id
            ) from exc

        context = LocalLambdaContext(function_name=name, aws_request_id=request_id, timeout_s=task_timeout_s())
        try:
            result = handler(event, context)
        except Exception as exc:
            logger.info("function %s raised %s", name, type(exc).__name__)
            return self._failure(request_id, str(exc), type(exc).__name__, _stack_trace(exc))
        try:
            data = json.dumps(result).encode("utf-8")
        except (TypeError, ValueError) as exc:
            logger.warning("function %s returned a result that is not JSON: %s", name, exc)
            return self._failure(request_id, f"Unable to marshal response: {exc}", "Runtime.MarshalError", [])
        if len(data) > LAMBDA_RESPONSE_QUOTA_BYTES:
            logger.warning("function %s returned %d bytes, over Lambda's response quota", name, len(data))
            message = (
                f"Response payload size ({len(data)} bytes) exceeded maximum allowed payload size "
                f"({LAMBDA_RESPONSE_QUOTA_BYTES} bytes)."
            )
            return self._failure(request_id, message, "Function.ResponseSizeTooLarge", [])
        return {
            "ResponseMetadata": _response_metadata(request_id, 200),
            "StatusCode": 200,
            "ExecutedVersion": "$LATEST",
            "Payload": _body(data),
        }

    @staticmethod
    def _failure(request_id: str, message: str, error_type: str, stack: list[str]) -> dict[str, Any]:
        error = {"errorMessage": message, "errorType": error_type, "requestId": request_id, "stackTrace": stack}
        return {
            "ResponseMetadata": _response_metadata(request_id, 200),
            "StatusCode": 200,
            "FunctionError": "Unhandled",
            "ExecutedVersion": "$LATEST",
            "Payload": _body(json.dumps(error).encode("utf-8")),
        }


def _stack_trace(exc: BaseException) -> list[str]:
    """The frames below the dispatcher, formatted like the Python runtime's `stackTrace`."""
    tb = exc.__traceback__.tb_next if exc.__traceback__ else None
    return traceback.format_list(traceback.extract_tb(tb))
