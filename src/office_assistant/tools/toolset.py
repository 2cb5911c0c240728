"""The tools offered for one message: run a call the model made, record it, and never raise into the reply."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from office_assistant.domain.errors import OfficeAssistantError

if TYPE_CHECKING:
    from office_assistant.ports import ToolCall
    from office_assistant.tools.spec import ToolContext, ToolSpec

logger = logging.getLogger(__name__)

MAX_RESULT_CHARS = 8000  # a tool result is prompt text: an ERP dump must not crowd out the conversation
MAX_ERROR_CHARS = 300


@dataclass(frozen=True)
class ToolCallRecord:
    """One call as Respond's output shows it (a replay lists these): no arguments, no results."""

    name: str
    duration_ms: float
    ok: bool
    error: str | None = None


class ToolCallRefusedError(Exception):
    """A call the toolset refuses before running it (unknown tool, bad JSON, arguments off the schema)."""


@dataclass
class ToolSet:
    """The tools for one message; `run` turns any call into the text of a `tool` message and records it."""

    context: ToolContext
    tools: tuple[ToolSpec, ...]
    calls: list[ToolCallRecord] = field(default_factory=list)

    @property
    def schemas(self) -> list[dict[str, Any]]:
        return [tool.schema for tool in self.tools]

    @property
    def names(self) -> list[str]:
        return [tool.name for tool in self.tools]

    def run(self, call: ToolCall) -> str:
        """The call's result as JSON text, or `{"error": ...}`; never raises."""
        started = time.perf_counter()
        error: str | None = None
        try:
            payload: dict[str, Any] = {"result": self._run(call)}
        except (ToolCallRefusedError, OfficeAssistantError) as refused:
            error = str(refused)
            logger.warning("tool call failed", extra={"tool": call.name, "error": error[:MAX_ERROR_CHARS]})
            payload = {"error": error}
        except Exception as crash:
            # A bug in a tool: the model learns only that it failed (no internals), the log has the traceback.
            logger.exception("tool crashed", extra={"tool": call.name})
            error = f"the tool failed ({type(crash).__name__})"
            payload = {"error": error}
        elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
        self.calls.append(
            ToolCallRecord(
                call.name[:64], elapsed_ms, error is None, None if error is None else error[:MAX_ERROR_CHARS]
            )
        )
        return _dump(payload)

    def _run(self, call: ToolCall) -> object:
        tool = next((t for t in self.tools if t.name == call.name), None)
        if tool is None:
            raise ToolCallRefusedError(f"unknown tool {call.name[:64]!r}; the tools are: {', '.join(self.names)}")
        try:
            arguments = json.loads(call.arguments or "{}")
        except ValueError as error:
            raise ToolCallRefusedError(f"the arguments are not valid JSON: {error}") from error
        problems = [
            f"{'.'.join(str(part) for part in e.absolute_path) or 'arguments'}: {e.message}"
            for e in sorted(tool.validator.iter_errors(arguments), key=lambda e: list(map(str, e.absolute_path)))
        ]
        if problems:
            raise ToolCallRefusedError(f"invalid arguments for {tool.name}: {'; '.join(problems)}")
        return tool.run(self.context, arguments)


def _dump(payload: dict[str, Any]) -> str:
    text = json.dumps(payload, ensure_ascii=False, default=str)
    if len(text) <= MAX_RESULT_CHARS:
        return text
    return text[:MAX_RESULT_CHARS] + f"… [cut: the result had {len(text)} characters; ask for fewer]"
