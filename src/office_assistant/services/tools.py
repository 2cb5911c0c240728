"""Tools the chat model may call; each acts on the chat the message came from, never on a chat the model names.

The legacy assistant let the model pass (or forget) a chat id, so its mute tool always failed and a Slack tool
could post anywhere. Here a `ToolSet` is bound to one inbound message: `set_mute` and `search_chat_history` use its
`conversation_key`, which works the same on Slack and Telegram. A tool never raises into the reply: every failure
(unknown tool, invalid JSON, bad arguments, an ERP refusal) becomes an error result the model can read.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from office_assistant.domain.errors import OfficeAssistantError

if TYPE_CHECKING:
    from collections.abc import Callable

    from office_assistant.domain.messages import InboundMessage, StoredMessage
    from office_assistant.domain.routes import RouteSettings
    from office_assistant.ports import Embedder, ErpClient, MessageStore, StateTable, ToolCall

logger = logging.getLogger(__name__)

MAX_RESULT_CHARS = 8000  # a tool result is prompt text: an ERP dump must not crowd out the conversation
CREATE_CLAIM_TTL_S = 48 * 3600  # as long as Respond's idempotency records: a retry comes within that


class _Arguments(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SetMuteArguments(_Arguments):
    muted: bool = Field(description="true: stop answering in this chat unless mentioned; false: answer again")


class SearchChatHistoryArguments(_Arguments):
    query: str = Field("", description="what to look for; empty: the latest messages")
    limit: int = Field(5, ge=1, le=20, description="how many messages to return")


class OdooSearchRecordsArguments(_Arguments):
    model: str = Field(description="the Odoo model, e.g. res.partner or sale.order")
    domain: list[Any] = Field(
        default_factory=list, description='an Odoo domain, e.g. [["name", "ilike", "acme"]]; empty: all records'
    )
    fields: list[str] = Field(default_factory=list, description="the fields to read; empty: the default fields")
    limit: int = Field(10, ge=1, le=50, description="the most records to return")


class OdooCreateRecordArguments(_Arguments):
    model: str = Field(description="the Odoo model, e.g. res.partner")
    values: dict[str, Any] = Field(description="field name → value of the new record")


@dataclass(frozen=True)
class Tool:
    """One function the model can call: its schema and what running it does for the current message."""

    name: str
    description: str
    arguments: type[_Arguments]
    run: Callable[[Any, InboundMessage], object]

    @property
    def schema(self) -> dict[str, Any]:
        """The OpenAI `tools` entry."""
        parameters = self.arguments.model_json_schema()
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": parameters},
        }


@dataclass(frozen=True)
class ToolSet:
    """The tools offered for one message; `run` turns any call into the text of a `tool` message."""

    message: InboundMessage
    tools: tuple[Tool, ...]

    @property
    def schemas(self) -> list[dict[str, Any]]:
        return [tool.schema for tool in self.tools]

    def run(self, call: ToolCall) -> str:
        """The call's result as JSON text, or `{"error": ...}`; never raises."""
        try:
            result = self._run(call)
        except _ToolError as error:
            logger.warning("tool call refused", extra={"tool": call.name, "error": str(error)})
            return _dump({"error": str(error)})
        except OfficeAssistantError as error:
            logger.warning("tool failed", extra={"tool": call.name, "error": str(error)})
            return _dump({"error": str(error)})
        except Exception as error:
            # A bug in a tool: the model learns only that it failed (no internals), the log has the traceback.
            logger.exception("tool crashed", extra={"tool": call.name})
            return _dump({"error": f"the tool failed ({type(error).__name__})"})
        return _dump({"result": result})

    def _run(self, call: ToolCall) -> object:
        tool = next((t for t in self.tools if t.name == call.name), None)
        if tool is None:
            offered = ", ".join(t.name for t in self.tools)
            raise _ToolError(f"unknown tool {call.name!r}; the tools are: {offered}")
        try:
            raw = json.loads(call.arguments or "{}")
        except ValueError as error:
            raise _ToolError(f"the arguments are not valid JSON: {error}") from error
        try:
            arguments = tool.arguments.model_validate(raw)
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}" for e in error.errors()
            )
            raise _ToolError(f"invalid arguments for {call.name}: {problems}") from error
        return tool.run(arguments, self.message)


class _ToolError(Exception):
    """A call the toolset refuses before running it; only ever turned into an error result."""


class Toolbox:
    """Builds the tools for a message from the ports they act through; the ERP tools exist only with an ERP."""

    def __init__(
        self, store: MessageStore, embedder: Embedder, state: StateTable, erp: ErpClient | None = None
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.state = state
        self.erp = erp

    def for_message(self, message: InboundMessage, settings: RouteSettings) -> ToolSet:
        """The tools for `message`; the Odoo tools only on a route that needs the ERP, when one is configured."""
        tools = [
            Tool(
                "set_mute",
                "Mute or unmute the assistant in this chat. While muted it answers only when mentioned.",
                SetMuteArguments,
                self._set_mute,
            ),
            Tool(
                "search_chat_history",
                "Search this chat's earlier messages by meaning, or list the latest ones when the query is empty.",
                SearchChatHistoryArguments,
                self._search_chat_history,
            ),
        ]
        if self.erp is not None and settings.needs_erp:
            tools += [
                Tool(
                    "odoo_search_records",
                    "Read records of an Odoo model that match a domain.",
                    OdooSearchRecordsArguments,
                    self._odoo_search_records,
                ),
                Tool(
                    "odoo_create_record",
                    "Create one record of an Odoo model; returns its id.",
                    OdooCreateRecordArguments,
                    self._odoo_create_record,
                ),
            ]
        return ToolSet(message, tuple(tools))

    def _set_mute(self, arguments: SetMuteArguments, message: InboundMessage) -> dict[str, Any]:
        self.state.set_muted(message.conversation_key, arguments.muted)
        return {"muted": arguments.muted}

    def _search_chat_history(
        self, arguments: SearchChatHistoryArguments, message: InboundMessage
    ) -> list[dict[str, Any]]:
        """This chat's messages, without the one being answered (it is already in the conversation)."""
        chat_key, wanted = message.conversation_key, arguments.limit + 1
        found: list[tuple[StoredMessage, float | None]]
        if arguments.query.strip():
            embedding = [float(x) for x in self.embedder.embed([arguments.query])[0]]
            found = [(s.message, round(s.score, 3)) for s in self.store.similar(chat_key, embedding, wanted)]
        else:
            found = [(m, None) for m in self.store.latest(chat_key, wanted)]
        kept = [(m, score) for m, score in found if m.message_id != message.message_id][: arguments.limit]
        return [_history_entry(m, score) for m, score in kept]

    def _odoo_search_records(
        self, arguments: OdooSearchRecordsArguments, message: InboundMessage
    ) -> list[dict[str, Any]]:
        assert self.erp is not None  # offered only with an ERP
        return self.erp.search_records(arguments.model, arguments.domain, arguments.fields or None, arguments.limit)

    def _odoo_create_record(self, arguments: OdooCreateRecordArguments, message: InboundMessage) -> dict[str, Any]:
        """Create once per message: a Respond retried after its post failed runs the tools again.

        The same record (model and values) asked for while answering the same message is claimed in the state
        table first; the second attempt is told it exists instead of creating a duplicate.
        """
        assert self.erp is not None  # offered only with an ERP
        claim = _create_claim_key(message, arguments)
        if not self.state.claim(claim, CREATE_CLAIM_TTL_S):
            return {"already_created": True, "note": "an earlier attempt at this message created this record"}
        try:
            return {"id": self.erp.create_record(arguments.model, arguments.values)}
        except Exception:
            self.state.release(claim)  # not created: a later attempt may try again
            raise


def _create_claim_key(message: InboundMessage, arguments: OdooCreateRecordArguments) -> str:
    record = json.dumps([arguments.model, arguments.values], sort_keys=True, default=str)
    digest = hashlib.sha256(record.encode()).hexdigest()[:32]
    return f"odoo-create#{message.conversation_key}#{message.message_id}#{digest}"


def _history_entry(message: StoredMessage, score: float | None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "time": datetime.fromtimestamp(message.ts, UTC).isoformat(timespec="seconds"),
        "role": message.role.value,
        "user": message.user_name,
        "text": message.text,
    }
    if score is not None:
        entry["score"] = score
    return entry


def _dump(payload: dict[str, Any]) -> str:
    text = json.dumps(payload, ensure_ascii=False, default=str)
    if len(text) <= MAX_RESULT_CHARS:
        return text
    return text[:MAX_RESULT_CHARS] + f"… [cut: the result had {len(text)} characters; ask for fewer]"
